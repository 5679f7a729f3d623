//! Relay connections: page arguments in, connections out.

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{OutputType, SimpleObject};

use super::bounds::WideInt;
use super::error::{ApiError, ApiResult};
use crate::store::{Cursor, Page, PageRequest};

/// Rows in a page when the client does not say.
pub const DEFAULT_PAGE: i32 = 20;
/// Most rows in one page.
pub const MAX_PAGE: i32 = 100;

/// The fields every connection has besides its edges.
#[derive(SimpleObject)]
pub struct Totals {
    /// How many rows match, over all pages.
    pub total_count: u64,
}

/// A connection over nodes of type `N`.
pub type Conn<N> = Connection<String, N, Totals, EmptyFields>;

/// Checks `first`: between 0 and [`MAX_PAGE`], [`DEFAULT_PAGE`] when absent.
pub fn page_size(first: Option<WideInt>) -> ApiResult<usize> {
    rows("first", first.unwrap_or(WideInt(DEFAULT_PAGE.into())))
}

/// Checks a row count argument named `name`: between 0 and [`MAX_PAGE`].
pub fn rows(name: &str, value: WideInt) -> ApiResult<usize> {
    match value.0 {
        n if (0..=i128::from(MAX_PAGE)).contains(&n) => Ok(n as usize),
        n => Err(ApiError::BadInput(format!(
            "`{name}` must be between 0 and {MAX_PAGE}, not {n}"
        ))),
    }
}

/// Reads a cursor given back by the client.
pub fn cursor(after: Option<&str>) -> ApiResult<Option<Cursor>> {
    after
        .map(|a| {
            Cursor::decode(a).ok_or_else(|| {
                ApiError::BadInput("`after` is not a cursor this API gave".to_owned())
            })
        })
        .transpose()
}

/// The page request for these arguments.
pub fn request(
    first: Option<WideInt>,
    after: Option<String>,
    want_total: bool,
) -> ApiResult<PageRequest> {
    Ok(PageRequest {
        first: page_size(first)?,
        after: cursor(after.as_deref())?,
        want_total,
    })
}

/// The page request of a connection over nodes whose ids start with `kind:` (`need`,
/// `solution`...): a cursor given by another connection (another kind of row) is refused,
/// naming `connection`.
pub fn request_of(
    connection: &str,
    kind: &str,
    first: Option<WideInt>,
    after: Option<String>,
    want_total: bool,
) -> ApiResult<PageRequest> {
    let request = request(first, after, want_total)?;
    if let Some(cursor) = &request.after {
        let ours = cursor
            .id
            .strip_prefix(kind)
            .is_some_and(|rest| rest.starts_with(':'));
        if !ours {
            return Err(ApiError::BadInput(format!(
                "`after` is a cursor of another list, not of `{connection}`: pass a cursor `{connection}` gave"
            )));
        }
    }
    Ok(request)
}

/// Turns a store page into a connection, wrapping each row.
pub fn connection<T, N: OutputType>(page: Page<T>, wrap: impl Fn(T) -> N) -> Conn<N> {
    let mut conn = Connection::with_additional_fields(
        page.has_previous,
        page.has_next,
        Totals {
            total_count: page.total.unwrap_or(0),
        },
    );
    conn.edges.extend(
        page.items
            .into_iter()
            .map(|(c, item)| Edge::new(c.encode(), wrap(item))),
    );
    conn
}
