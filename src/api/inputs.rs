//! Input types: filters as clients write them, checked and turned into store filters.

use async_graphql::{InputObject, ID};

use super::bounds::{self, WideInt, INT_MAX};
use super::enums::{
    AdoptionStatus, CollectivityKind, MaintenanceStatus, OutcomeKind, SolutionKind,
};
use super::error::{ApiError, ApiResult};
use crate::analysis::evidence;
use crate::domain::{CollectivityId, Country, NeedId, PublisherId, SolutionId, ValidationError};
use crate::store;

/// Longest free text accepted in a filter, in characters.
pub const MAX_TEXT: usize = 200;

/// Parses a client's id with the domain's rules, as bad input when it fails.
pub fn parse_id<T>(id: &str, parse: fn(&str) -> Result<T, ValidationError>) -> ApiResult<T> {
    parse(id).map_err(|e| ApiError::BadInput(e.0))
}

/// A list input in the store's or the analysis' terms (absent: empty).
fn converted<A: Into<B>, B>(list: Option<Vec<A>>) -> Vec<B> {
    list.unwrap_or_default()
        .into_iter()
        .map(Into::into)
        .collect()
}

/// Checks free text: at most [`MAX_TEXT`] characters; blank means absent.
pub fn check_text(text: Option<String>) -> ApiResult<Option<String>> {
    match text {
        Some(t) if t.chars().count() > MAX_TEXT => Err(ApiError::BadInput(format!(
            "text filters are limited to {MAX_TEXT} characters"
        ))),
        Some(t) if t.trim().is_empty() => Ok(None),
        other => Ok(other),
    }
}

/// Filter on needs.
#[derive(InputObject, Default)]
pub struct NeedFilter {
    /// Only the needs directly under this one.
    pub broader: Option<ID>,
    /// Only the needs that have no broader need.
    #[graphql(default)]
    pub top_level: bool,
    /// Only needs whose labels match this text (accent- and case-insensitive, prefixes).
    pub text: Option<String>,
    /// List retired needs too (left out by default).
    #[graphql(default)]
    pub include_retired: bool,
}

impl NeedFilter {
    /// The store's filter.
    pub fn into_store(self) -> ApiResult<store::NeedFilter> {
        Ok(store::NeedFilter {
            broader: self
                .broader
                .map(|b| parse_id(&b, NeedId::parse))
                .transpose()?,
            top_level: self.top_level,
            text: check_text(self.text)?,
            include_retired: self.include_retired,
        })
    }
}

/// Filter on solutions.
#[derive(InputObject, Default)]
pub struct SolutionFilter {
    /// Only these kinds.
    pub kind: Option<Vec<SolutionKind>>,
    /// Only these maintenance statuses.
    pub status: Option<Vec<MaintenanceStatus>>,
    /// Only solutions serving this need.
    pub need: Option<ID>,
    /// With `need`: include solutions of narrower needs.
    #[graphql(default = true)]
    pub include_narrower: bool,
    /// Only solutions whose licence names this SPDX id (`AGPL-3.0-only`), any case.
    pub licence: Option<String>,
    /// Only solutions of this publisher.
    pub publisher: Option<ID>,
    /// Only solutions matching this text (accent- and case-insensitive, prefixes).
    pub text: Option<String>,
}

impl SolutionFilter {
    /// The store's filter.
    pub fn into_store(self) -> ApiResult<store::SolutionFilter> {
        Ok(store::SolutionFilter {
            kinds: converted(self.kind),
            statuses: converted(self.status),
            need: self.need.map(|n| parse_id(&n, NeedId::parse)).transpose()?,
            include_narrower: self.include_narrower,
            licence: check_text(self.licence)?,
            publisher: self
                .publisher
                .map(|p| parse_id(&p, PublisherId::parse))
                .transpose()?,
            text: check_text(self.text)?,
        })
    }
}

/// Filter on collectivities.
#[derive(InputObject, Default)]
pub struct CollectivityFilter {
    /// Only these kinds.
    pub kind: Option<Vec<CollectivityKind>>,
    /// Only this country (ISO 3166-1 alpha-2, `FR`).
    pub country: Option<String>,
    /// Only bodies with at least this population (0 to 2147483647).
    pub population_min: Option<WideInt>,
    /// Only bodies with at most this population (0 to 2147483647).
    pub population_max: Option<WideInt>,
    /// Only bodies directly under this one (the communes of a métropole).
    pub parent: Option<ID>,
    /// Only bodies of this department (`38`).
    pub department: Option<String>,
    /// Only bodies matching this text (name, INSEE code, SIREN; accent- and case-insensitive).
    pub text: Option<String>,
}

impl CollectivityFilter {
    /// The store's filter.
    pub fn into_store(self) -> ApiResult<store::CollectivityFilter> {
        let population_min = bounds::within_opt("populationMin", self.population_min, 0, INT_MAX)?;
        let population_max = bounds::within_opt("populationMax", self.population_max, 0, INT_MAX)?;
        if let (Some(min), Some(max)) = (population_min, population_max) {
            if min > max {
                return Err(ApiError::BadInput(
                    "`populationMin` is greater than `populationMax`".to_owned(),
                ));
            }
        }
        Ok(store::CollectivityFilter {
            kinds: converted(self.kind),
            country: self
                .country
                .map(|c| Country::parse(&c).map(|c| c.as_str().to_owned()))
                .transpose()
                .map_err(|e| ApiError::BadInput(e.0))?,
            population_min: population_min.map(u64::from),
            population_max: population_max.map(u64::from),
            parent: self
                .parent
                .map(|p| parse_id(&p, CollectivityId::parse))
                .transpose()?,
            department: check_text(self.department)?,
            text: check_text(self.text)?,
        })
    }
}

/// Filter on adoptions.
#[derive(InputObject, Default)]
pub struct AdoptionFilter {
    /// Only adoptions of this solution.
    pub solution: Option<ID>,
    /// Only adoptions for this need.
    pub need: Option<ID>,
    /// With `need`: include adoptions for narrower needs.
    #[graphql(default = true)]
    pub include_narrower: bool,
    /// Only adoptions by this collectivity.
    pub collectivity: Option<ID>,
    /// Only these statuses.
    pub status: Option<Vec<AdoptionStatus>>,
    /// Only adoptions with an outcome of one of these kinds.
    pub outcome: Option<Vec<OutcomeKind>>,
}

impl AdoptionFilter {
    /// The store's filter.
    pub fn into_store(self) -> ApiResult<store::AdoptionFilter> {
        Ok(store::AdoptionFilter {
            solution: self
                .solution
                .map(|s| parse_id(&s, SolutionId::parse))
                .transpose()?,
            need: self.need.map(|n| parse_id(&n, NeedId::parse)).transpose()?,
            include_narrower: self.include_narrower,
            collectivity: self
                .collectivity
                .map(|c| parse_id(&c, CollectivityId::parse))
                .transpose()?,
            statuses: converted(self.status),
            outcome_kinds: converted(self.outcome),
        })
    }
}

/// Who counts in a peer-experience answer.
#[derive(InputObject, Default)]
pub struct ExperienceFilter {
    /// Only these kinds of solution.
    pub solution_kind: Option<Vec<SolutionKind>>,
    /// Only adopters of these kinds.
    pub collectivity_kind: Option<Vec<CollectivityKind>>,
    /// Only adopters of this department (`38`).
    pub department: Option<String>,
    /// Only adopters of this region (`84`).
    pub region: Option<String>,
    /// Only solutions the asker's peers (or the asker) adopted.
    #[graphql(default)]
    pub peers_only: bool,
}

impl ExperienceFilter {
    /// The analysis' filter.
    pub fn into_analysis(self) -> ApiResult<evidence::ExperienceFilter> {
        Ok(evidence::ExperienceFilter {
            solution_kinds: converted(self.solution_kind),
            collectivity_kinds: converted(self.collectivity_kind),
            department: check_text(self.department)?,
            region: check_text(self.region)?,
            peers_only: self.peers_only,
        })
    }
}
