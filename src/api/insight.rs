//! The analyses as the query root asks for them: the client's ids found in the analysis
//! index (NOT_FOUND when no node has them, BAD_USER_INPUT when they are malformed), page sizes
//! checked, and the answers built (their types are in [`super::types`]).

use crate::analysis::index::Index;
use crate::api::bounds::WideInt;
use crate::api::error::{ApiError, ApiResult};
use crate::api::inputs::parse_id;
use crate::api::paging;
use crate::domain;

pub use crate::api::context::index;
pub use crate::api::types::{
    adoption_paths, aggregates, collectivity_statistics, experience, peers, selection_advice,
    timeline,
};

fn not_found(what: &str, id: &str) -> ApiError {
    ApiError::NotFound(format!("no {what} has the id `{id}`"))
}

/// Finds a collectivity by the client's id.
pub fn find_collectivity(ix: &Index, id: &str) -> ApiResult<u32> {
    parse_id(id, domain::CollectivityId::parse)?;
    ix.collectivity(id)
        .ok_or_else(|| not_found("collectivity", id))
}

/// Finds a need by the client's id.
pub fn find_need(ix: &Index, id: &str) -> ApiResult<u32> {
    parse_id(id, domain::NeedId::parse)?;
    ix.need(id).ok_or_else(|| not_found("need", id))
}

/// Finds a solution by the client's id.
pub fn find_solution(ix: &Index, id: &str) -> ApiResult<u32> {
    parse_id(id, domain::SolutionId::parse)?;
    ix.solution(id).ok_or_else(|| not_found("solution", id))
}

/// Checks a `first` argument (0 to 100).
pub fn first(first: WideInt) -> ApiResult<usize> {
    paging::page_size(Some(first))
}
