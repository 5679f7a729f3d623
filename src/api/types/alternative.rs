//! `Alternative`: a libre solution that can replace a proprietary one.

use super::SolutionNode;
use crate::api::enums::{AlternativeKind, Confidence};
use crate::domain;
use async_graphql::Object;

/// A libre solution that can replace a proprietary one.
#[derive(Clone)]
pub struct AlternativeNode(pub domain::Alternative);

node_object! {
    #[Object(name = "Alternative")]
    impl AlternativeNode {
        version;
        /// Its id (`alternative:libreoffice--microsoft-office`).
        id;
        /// The libre solution.
        linked libre -> SolutionNode;
        /// The proprietary solution it replaces.
        linked proprietary -> SolutionNode;
        /// How fully it replaces it.
        async fn confidence(&self) -> Confidence {
            self.0.confidence.into()
        }
        /// What the replaced paid item is.
        async fn kind(&self) -> AlternativeKind {
            self.0.kind.into()
        }
        sources;
        citations;
    }
}
