//! One input field read with the domain's own parse functions; a failure is BAD_USER_INPUT
//! naming the field (`status: ...`).

use async_graphql::ID;

use crate::api::bounds::{self, WideInt};
use crate::api::error::{ApiError, ApiResult};
use crate::domain::{self, Licence, PartialDate, ValidationError, WebUrl};

/// Most ids in one list input.
const MAX_LIST: usize = 50;

/// A parse failure of `field`, as bad input naming it.
pub(super) fn bad(field: &str) -> impl Fn(ValidationError) -> ApiError + '_ {
    move |e| ApiError::BadInput(format!("{field}: {}", e.0))
}

/// A rule of the domain that spans fields, broken.
pub(super) fn invalid(e: ValidationError) -> ApiError {
    ApiError::BadInput(e.0)
}

/// An id of `field`.
pub(super) fn field_id<T>(
    field: &str,
    id: &str,
    parse: fn(&str) -> Result<T, ValidationError>,
) -> ApiResult<T> {
    parse(id).map_err(bad(field))
}

/// An optional id of `field`.
pub(super) fn optional_id<T>(
    field: &str,
    value: Option<&ID>,
    parse: fn(&str) -> Result<T, ValidationError>,
) -> ApiResult<Option<T>> {
    value.map(|v| field_id(field, v, parse)).transpose()
}

/// A list of ids of `field` (at most [`MAX_LIST`]).
pub(super) fn ids<T>(
    field: &str,
    list: &[ID],
    parse: fn(&str) -> Result<T, ValidationError>,
) -> ApiResult<Vec<T>> {
    if list.len() > MAX_LIST {
        return Err(ApiError::BadInput(format!(
            "{field}: at most {MAX_LIST} ids"
        )));
    }
    list.iter().map(|v| field_id(field, v, parse)).collect()
}

/// Any optional value of `field` read by `parse`.
pub(super) fn optional<T>(
    field: &str,
    text: Option<&str>,
    parse: fn(&str) -> Result<T, ValidationError>,
) -> ApiResult<Option<T>> {
    text.map(|t| parse(t).map_err(bad(field))).transpose()
}

/// A date (`2024`, `2024-03`, `2024-03-16`) of `field`.
pub(super) fn date(field: &str, text: Option<&str>) -> ApiResult<Option<PartialDate>> {
    optional(field, text, PartialDate::parse)
}

/// A web URL of `field`.
pub(super) fn url(field: &str, text: Option<&str>) -> ApiResult<Option<WebUrl>> {
    optional(field, text, WebUrl::parse)
}

/// An SPDX licence expression.
pub(super) fn licence(text: Option<&str>) -> ApiResult<Option<Licence>> {
    optional("licence", text, Licence::parse)
}

/// A count of `field` within `min` to 2147483647.
pub(super) fn int(field: &str, value: Option<WideInt>, min: i32) -> ApiResult<Option<u32>> {
    bounds::within_opt(field, value, min, bounds::INT_MAX)
}

/// An `intervalSeconds` input, checked against its range.
pub(super) fn interval_seconds(value: Option<WideInt>) -> ApiResult<Option<u32>> {
    int("intervalSeconds", value, domain::MIN_INTERVAL_SECS as i32)
}
