//! A figure a source states (`Figure`).

use super::SourceNode;
use crate::api::context::linked_opt;
use crate::api::error::ApiResult;
use crate::domain;
use async_graphql::{ComplexObject, Context, SimpleObject};

/// A figure stated by a source: a number with its unit.
#[derive(SimpleObject)]
#[graphql(complex, name = "Figure")]
pub struct FigureNode {
    /// What is measured (`libre-share`, `seats`...).
    pub(super) name: String,
    /// The value.
    pub(super) value: f64,
    /// The unit (`percent`, `count`, `EUR`).
    pub(super) unit: Option<String>,
    #[graphql(skip)]
    pub(super) source: Option<domain::SourceId>,
}

#[ComplexObject]
impl FigureNode {
    /// Who stated it.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Option<SourceNode>> {
        linked_opt(ctx, &self.source, SourceNode).await
    }
}

pub(super) fn figures(figures: &[domain::Figure]) -> Vec<FigureNode> {
    figures
        .iter()
        .map(|f| FigureNode {
            name: f.name.clone(),
            value: f.value,
            unit: f.unit.clone(),
            source: f.source.clone(),
        })
        .collect()
}
