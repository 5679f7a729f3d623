//! The domain: what retex knows about, validated once when built.
//!
//! Nothing here knows about GraphQL, SQL or Cypher. Importers build these types (parsing and
//! validating their input on the way in), the stores persist them, and the API presents them.

mod entities;
mod enums;
mod error;
mod id;
mod release;
mod text;
mod values;

pub use entities::{
    Adoption, Alternative, Batch, Citation, Collectivity, Figure, Need, Outcome, Publisher,
    SillYear, Solution, Source,
};
pub use enums::{
    AdoptionStatus, AlternativeKind, CollectivityKind, Confidence, DeploymentStrategy, Hosting,
    MaintenanceStatus, OutcomeKind, PublisherKind, PublisherStatus, SillStatus, SolutionKind,
    SourceKind,
};
pub use error::ValidationError;
pub use id::{
    AdoptionId, AlternativeId, CollectivityId, EntityKind, NeedId, NodeId, OutcomeId, PublisherId,
    SolutionId, SourceId,
};
pub use release::{ReleaseCycle, ReleaseVersion};
pub use text::{fold, search_terms, LocalizedText};
pub use values::{Country, InseeCode, Licence, PartialDate, Siren, WebUrl, WikidataId};
