//! The GraphQL object types, one concern per file, each with its analysis fields beside it
//! (as the `Solution` type carries its `risk`); the answers of the analyses in their own files.

#[macro_use]
mod node_object;

mod adoption;
mod adoption_path;
mod alert;
mod alternative;
mod citation;
mod collectivity;
mod contribution;
mod counts;
mod evidence;
mod experience;
mod figure;
mod history;
mod indexed;
mod need;
mod node;
mod outcome;
mod peer;
mod publiccode;
mod publisher;
mod release;
mod risk;
mod score;
mod selection;
mod solution;
mod solution_evidence;
mod source;
mod statistics;
mod text;
mod walk;
mod watch_source;

pub use adoption::{AdoptionNode, StatusChangeNode};
pub use adoption_path::{adoption_paths, AdoptionPath, AdoptionPaths, PathStart};
pub use alert::{AlertKind, AlertNode};
pub use alternative::AlternativeNode;
pub use citation::CitationNode;
pub use collectivity::{CollectivityNode, FunctionalContactNode};
pub use contribution::ContributionNode;
pub use counts::{
    AdoptionCounts, CountryCount, HostingCount, OutcomeCount, StatusCount, StrategyCount,
};
pub use evidence::{AdoptionEvidence, OutcomeRef};
pub use experience::{experience, Experience};
pub use figure::FigureNode;
pub use history::HistoryEntryNode;
pub use need::NeedNode;
pub use node::{load_node, Node};
pub use outcome::OutcomeNode;
pub use peer::{peers, GeographicProximity, Peer, PeerRef, PeerSimilarity};
pub use publiccode::{
    BasedOnNode, ContractorNode, DependencyNode, MaintenanceNode, VersionReleaseNode,
};
pub use publisher::PublisherNode;
pub use release::{ReleaseCycleNode, ReleaseNode};
pub use risk::{risk, Risk, RiskFactor, RiskLevel, RiskReason};
pub use score::{Score, ScorePart};
pub use selection::{selection_advice, SelectionAdvice, SelectionStep, SelectionStepKind};
pub use solution::{SillYear, SolutionNode};
pub use solution_evidence::{AlternativeLink, PathLinkKind, SolutionEvidence};
pub use source::SourceNode;
pub use statistics::{
    aggregates, collectivity_statistics, timeline, AdoptionTimeline, Aggregate,
    CollectivityStatistics, FigureOrigin, LabelledFigure, YearCount,
};
pub use text::Text;
pub use walk::{Walk, WalkEdge, WalkNode, WalkRelation};
pub use watch_source::{WatchKind, WatchSourceNode, WatchStatusNode};
