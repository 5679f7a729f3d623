//! `Contribution`: a public body giving back to libre software.

use super::{CollectivityNode, SolutionNode, Text};
use crate::api::enums::ContributionKind;
use crate::domain;
use async_graphql::Object;

/// A public body giving back to libre software.
pub struct ContributionNode(pub domain::Contribution);

node_object! {
    #[Object(name = "Contribution")]
    impl ContributionNode {
        /// Its id.
        id;
        /// The public body that gives back (or pays for it).
        linked collectivity -> CollectivityNode;
        /// The solution it goes to, when the source names one.
        linked_opt solution -> SolutionNode;
        /// What is given.
        async fn kind(&self) -> ContributionKind {
            self.0.kind.into()
        }
        /// The share of a person's or team's time, in percent, where stated.
        async fn share_percent(&self) -> Option<f64> {
            self.0.share_percent
        }
        /// When it started.
        async fn started(&self) -> Option<String> {
            self.0.started.map(|d| d.to_string())
        }
        /// When it ended.
        async fn ended(&self) -> Option<String> {
            self.0.ended.map(|d| d.to_string())
        }
        /// Who did the work for the body (a contractor), where stated.
        async fn contractor(&self) -> Option<&str> {
            self.0.contractor.as_deref()
        }
        /// The software's name as the source gives it.
        async fn software(&self) -> Option<&str> {
            self.0.software.as_deref()
        }
        /// Where it can be seen upstream (commits, issues, patches).
        async fn references(&self) -> Vec<&str> {
            self.0.references.iter().map(|r| r.as_str()).collect()
        }
        /// A note.
        async fn note(&self) -> Option<Text> {
            self.0.note.clone().map(Text)
        }
        sources;
    }
}
