//! `Source`: why a fact is believed.

use crate::api::context::load;
use crate::api::enums::SourceKind;
use crate::api::error::ApiResult;
use crate::api::loaders::CitationCount;
use crate::domain;
use async_graphql::{Context, Object};

/// Why a fact is believed.
#[derive(Clone)]
pub struct SourceNode(pub domain::Source);

node_object! {
    #[Object(name = "Source")]
    impl SourceNode {
        version;
        /// Its id.
        id;
        /// Its title.
        async fn title(&self) -> &str {
            &self.0.title
        }
        /// What kind of document it is.
        async fn kind(&self) -> SourceKind {
            self.0.kind.into()
        }
        /// Where to read it.
        async fn url(&self) -> Option<&str> {
            self.0.url.as_ref().map(|u| u.as_str())
        }
        /// When it was retired (`YYYY-MM-DD`); null while it may be cited. The facts that cite a
        /// retired source keep citing it (provenance), but no new fact may cite it.
        async fn retired(&self) -> Option<String> {
            self.0.retired.map(|d| d.to_string())
        }
        /// Who published it.
        async fn publisher(&self) -> Option<&str> {
            self.0.publisher.as_deref()
        }
        /// When it was published.
        async fn published(&self) -> Option<String> {
            self.0.published.map(|d| d.to_string())
        }
        /// The licence its content is under (SPDX).
        async fn licence(&self) -> Option<&str> {
            self.0.licence.as_ref().map(|l| l.as_str())
        }
        /// How many nodes cite it.
        async fn citation_count(&self, ctx: &Context<'_>) -> ApiResult<u64> {
            Ok(load(ctx, CitationCount(self.0.id.clone()))
                .await?
                .unwrap_or(0))
        }
    }
}
