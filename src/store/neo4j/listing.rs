//! Paged lists on Neo4j: a filtered listing, its order, one page after a cursor, and the
//! first page of each of several parents at once.

use neo4rs::{BoltType, Query};
use serde::de::DeserializeOwned;

use super::cypher::{self, fill};
use super::read::{parse_doc, CHUNK};
use super::{get, Neo4jStore};
use crate::store::{Cursor, Page, PageRequest, SortValue, StoreError, StoreResult};

/// How a list is ordered: a key expression on `n`, then the id.
pub(super) struct Order {
    /// The key expression.
    pub(super) key: &'static str,
    /// Largest first.
    pub(super) desc: bool,
    /// Whether the key is a number (else a text).
    pub(super) numeric: bool,
}

/// By the folded sort key (names), then the id.
pub(super) const BY_SORT_KEY: Order = Order {
    key: "n.sortKey",
    desc: false,
    numeric: false,
};
/// By id.
pub(super) const BY_ID: Order = Order {
    key: "n.id",
    desc: false,
    numeric: false,
};

/// A filtered list: its label, its condition, and the parameters of the condition.
pub(super) struct Listing {
    /// The nodes' label.
    pub(super) label: &'static str,
    /// The `WHERE` condition on `n`.
    pub(super) condition: &'static str,
    /// The condition's parameters.
    pub(super) params: Vec<(&'static str, BoltType)>,
}

impl Listing {
    fn query(&self, statement: &str) -> Query {
        let mut q = neo4rs::query(statement);
        for (k, v) in &self.params {
            q = q.param(k, v.clone());
        }
        q
    }
}

/// One page of a listing in `order`, after the request's cursor.
pub(super) async fn page<T: DeserializeOwned>(
    store: &Neo4jStore,
    listing: &Listing,
    order: &Order,
    request: &PageRequest,
) -> StoreResult<Page<T>> {
    let (after_key, after_id): (BoltType, BoltType) = match &request.after {
        None => (None::<String>.into(), None::<String>.into()),
        Some(Cursor { key, id }) => {
            let key: BoltType = match (key, order.numeric) {
                (SortValue::Int(i), true) => (*i).into(),
                (SortValue::Text(t), false) => t.clone().into(),
                _ => {
                    return Err(StoreError::Invalid(
                        "the cursor was made for another sort order".to_owned(),
                    ))
                }
            };
            (key, id.clone().into())
        }
    };
    let statement = fill(
        cypher::PAGE,
        &[
            ("__LABEL__", listing.label),
            ("__WHERE__", listing.condition),
            ("__KEY__", order.key),
            ("__CMP__", if order.desc { "<" } else { ">" }),
            ("__DIR__", if order.desc { "DESC" } else { "ASC" }),
        ],
    );
    let q = listing
        .query(&statement)
        .param("afterKey", after_key)
        .param("afterId", after_id)
        .param("limit", request.first as i64 + 1);
    let mut items = Vec::new();
    for row in store.rows(q).await? {
        let key = if order.numeric {
            SortValue::Int(get::<i64>(&row, "key")?)
        } else {
            SortValue::Text(get::<String>(&row, "key")?)
        };
        items.push((
            Cursor {
                key,
                id: get::<String>(&row, "id")?,
            },
            parse_doc(&get::<String>(&row, "doc")?)?,
        ));
    }
    let total = if request.want_total {
        let statement = fill(
            cypher::PAGE_TOTAL,
            &[
                ("__LABEL__", listing.label),
                ("__WHERE__", listing.condition),
            ],
        );
        let rows = store.rows(listing.query(&statement)).await?;
        Some(match rows.first() {
            Some(row) => get::<i64>(row, "total")? as u64,
            None => 0,
        })
    } else {
        None
    };
    Ok(Page::of_rows(items, request, total))
}

/// How the rows of a grouped page belong to their parent.
pub(super) struct Grouping {
    /// The parent's match pattern.
    pub(super) parent: &'static str,
    /// How a row belongs to its parent.
    pub(super) belongs: &'static str,
}

/// The first `first` rows for each parent at once, in parent order; parents without rows are left out.
pub(super) async fn grouped_pages<T: DeserializeOwned>(
    store: &Neo4jStore,
    listing: &Listing,
    grouping: &Grouping,
    order: &Order,
    parents: Vec<String>,
    first: usize,
) -> StoreResult<Vec<(String, Page<T>)>> {
    let statement = fill(
        cypher::GROUPED_PAGES,
        &[
            ("__PARENT__", grouping.parent),
            ("__BELONGS__", grouping.belongs),
            ("__LABEL__", listing.label),
            ("__WHERE__", listing.condition),
            ("__KEY__", order.key),
            ("__DIR__", if order.desc { "DESC" } else { "ASC" }),
        ],
    );
    let mut out = Vec::new();
    for chunk in parents.chunks(CHUNK) {
        let q = listing
            .query(&statement)
            .param("parents", chunk.to_vec())
            .param("first", first as i64);
        for row in store.rows(q).await? {
            let total = get::<i64>(&row, "total")? as u64;
            let mut items = Vec::new();
            for cells in get::<Vec<Vec<String>>>(&row, "rows")? {
                let [key, id, doc]: [String; 3] = cells.try_into().map_err(|_| {
                    StoreError::Corrupt("a grouped row is not [key, id, doc]".to_owned())
                })?;
                items.push((
                    Cursor {
                        key: SortValue::Text(key),
                        id,
                    },
                    parse_doc(&doc)?,
                ));
            }
            out.push((
                get::<String>(&row, "parent")?,
                Page::first_of_group(items, total, first),
            ));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}
