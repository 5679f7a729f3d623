//! `Outcome`: how an adoption went.

use super::figure::figures;
use super::{AdoptionNode, FigureNode, Text};
use crate::api::enums::OutcomeKind;
use crate::domain;
use async_graphql::Object;

/// How an adoption went.
#[derive(Clone)]
pub struct OutcomeNode(pub domain::Outcome);

node_object! {
    #[Object(name = "Outcome")]
    impl OutcomeNode {
        version;
        /// Its id.
        id;
        /// The adoption it is the outcome of.
        linked adoption -> AdoptionNode;
        /// What happened.
        async fn kind(&self) -> OutcomeKind {
            self.0.kind.into()
        }
        /// When.
        async fn date(&self) -> Option<String> {
            self.0.date.map(|d| d.to_string())
        }
        /// A short summary.
        async fn summary(&self) -> Text {
            Text(self.0.summary.clone())
        }
        /// Figures, where known.
        async fn figures(&self) -> Vec<FigureNode> {
            figures(&self.0.figures)
        }
        /// When it was retired (`YYYY-MM-DD`); null while it stands. A retired outcome stays
        /// readable (by id, in history) but no longer counts as evidence and is left out of
        /// `Adoption.outcomes` and of outcome filters.
        async fn retired(&self) -> Option<String> {
            self.0.retired.map(|d| d.to_string())
        }
        sources;
        citations;
    }
}
