//! Building SQL with bound parameters: conditions, keyset pages and grouped first pages.

use rusqlite::types::Value;
use rusqlite::Connection;
use serde::de::DeserializeOwned;

use super::map_err;
use crate::store::{Cursor, Page, PageRequest, SortValue, StoreError, StoreResult};

/// Most ids bound in one `IN (...)` list; longer lists are split.
pub(super) const IN_CHUNK: usize = 500;

/// SQL text with its positional parameters, in order.
#[derive(Default, Clone)]
pub(super) struct Conditions {
    clauses: Vec<String>,
    params: Vec<Value>,
}

impl Conditions {
    /// Adds a clause whose `?` placeholders take `params`, in order.
    pub fn add(&mut self, clause: impl Into<String>, params: impl IntoIterator<Item = Value>) {
        self.clauses.push(clause.into());
        self.params.extend(params);
    }

    /// Adds `column IN (...)` when `values` is not empty.
    pub fn add_in(&mut self, column: &str, values: &[&str]) {
        if !values.is_empty() {
            self.add(
                format!("{column} IN ({})", placeholders(values.len())),
                values.iter().map(|v| Value::Text((*v).to_owned())),
            );
        }
    }

    /// The clauses joined by AND (`1` when there is none).
    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            "1".to_owned()
        } else {
            self.clauses.join(" AND ")
        }
    }

    /// The parameters.
    pub fn params(&self) -> &[Value] {
        &self.params
    }
}

/// `?, ?, ?` for `n` parameters.
pub(super) fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Text parameters.
pub(super) fn texts(values: &[String]) -> impl Iterator<Item = Value> + '_ {
    values.iter().map(|v| Value::Text(v.clone()))
}

/// How a list is ordered: a key expression that is never NULL, then the id.
pub(super) struct Order<'a> {
    /// The key expression.
    pub key: &'a str,
    /// The id expression.
    pub id: &'a str,
    /// Descending when true.
    pub desc: bool,
    /// Whether the key is a number (else text).
    pub numeric: bool,
}

impl<'a> Order<'a> {
    /// Ascending on a text key, ties broken by `id`.
    pub const fn text(key: &'a str, id: &'a str) -> Self {
        Order {
            key,
            id,
            desc: false,
            numeric: false,
        }
    }

    /// Ascending on a number key, ties broken by `id`.
    pub const fn number(key: &'a str, id: &'a str) -> Self {
        Order {
            numeric: true,
            ..Order::text(key, id)
        }
    }

    /// The same order, descending.
    pub const fn descending(self) -> Self {
        Order { desc: true, ..self }
    }

    fn dir(&self) -> &'static str {
        if self.desc {
            "DESC"
        } else {
            "ASC"
        }
    }

    fn check_cursor(&self, cursor: &Cursor) -> StoreResult<Value> {
        match (&cursor.key, self.numeric) {
            (SortValue::Int(i), true) => Ok(Value::Integer(*i)),
            (SortValue::Text(t), false) => Ok(Value::Text(t.clone())),
            _ => Err(StoreError::Invalid(
                "the cursor was made for another sort order".to_owned(),
            )),
        }
    }
}

fn sort_value(value: Value) -> StoreResult<SortValue> {
    match value {
        Value::Integer(i) => Ok(SortValue::Int(i)),
        Value::Text(t) => Ok(SortValue::Text(t)),
        other => Err(StoreError::Internal(format!(
            "unexpected sort key {other:?}"
        ))),
    }
}

pub(super) fn parse_doc<T: DeserializeOwned>(doc: &str) -> StoreResult<T> {
    serde_json::from_str(doc)
        .map_err(|e| StoreError::Corrupt(format!("a stored node does not parse: {e}")))
}

/// Reads one page of `SELECT ... FROM {from} WHERE {conditions}`, ordered by `order`, with
/// `{doc}` the node's document column.
pub(super) fn page<T: DeserializeOwned>(
    conn: &Connection,
    from: &str,
    doc: &str,
    conditions: &Conditions,
    order: &Order<'_>,
    request: &PageRequest,
) -> StoreResult<Page<T>> {
    let mut all = conditions.clone();
    if let Some(after) = &request.after {
        let key = order.check_cursor(after)?;
        let cmp = if order.desc { "<" } else { ">" };
        all.add(
            format!(
                "({k} {cmp} ? OR ({k} = ? AND {id} {cmp} ?))",
                k = order.key,
                id = order.id
            ),
            [key.clone(), key, Value::Text(after.id.clone())],
        );
    }
    let sql = format!(
        "SELECT {key}, {id}, {doc} FROM {from} WHERE {cond} ORDER BY 1 {dir}, 2 {dir} LIMIT ?",
        key = order.key,
        id = order.id,
        cond = all.sql(),
        dir = order.dir(),
    );
    let mut params = all.params().to_vec();
    params.push(Value::Integer(request.first as i64 + 1));
    let rows: Vec<(Value, String, String)> =
        tuples(conn, &sql, rusqlite::params_from_iter(params))?;
    let mut items = Vec::new();
    for (key, id, doc) in rows {
        items.push((
            Cursor {
                key: sort_value(key)?,
                id,
            },
            parse_doc(&doc)?,
        ));
    }
    let total = if request.want_total {
        let sql = format!("SELECT COUNT(*) FROM {from} WHERE {}", conditions.sql());
        let n: i64 = conn
            .prepare_cached(&sql)
            .and_then(|mut s| {
                s.query_row(rusqlite::params_from_iter(conditions.params()), |r| {
                    r.get(0)
                })
            })
            .map_err(map_err)?;
        Some(n as u64)
    } else {
        None
    };
    Ok(Page::of_rows(items, request, total))
}

/// Reads the first `first` rows for each parent at once: `{with}` may define CTEs,
/// `{parent}` is the expression rows are grouped by.
#[allow(clippy::too_many_arguments)]
pub(super) fn grouped_first_pages<T: DeserializeOwned>(
    conn: &Connection,
    with: &str,
    with_params: &[Value],
    from: &str,
    parent: &str,
    doc: &str,
    conditions: &Conditions,
    order: &Order<'_>,
    first: usize,
) -> StoreResult<Vec<(String, Page<T>)>> {
    let sql = format!(
        "{with} SELECT parent, key, id, doc, total FROM (
            SELECT {parent} AS parent, {key} AS key, {id} AS id, {doc} AS doc,
                   ROW_NUMBER() OVER (PARTITION BY {parent} ORDER BY {key} {dir}, {id} {dir}) AS rn,
                   COUNT(*) OVER (PARTITION BY {parent}) AS total
            FROM {from} WHERE {cond}
         ) WHERE rn <= ? ORDER BY parent, rn",
        key = order.key,
        id = order.id,
        dir = order.dir(),
        cond = conditions.sql(),
    );
    let mut params = with_params.to_vec();
    params.extend_from_slice(conditions.params());
    params.push(Value::Integer(first as i64));
    let rows: Vec<(String, Value, String, String, i64)> =
        tuples(conn, &sql, rusqlite::params_from_iter(params))?;
    let mut pages: Vec<(String, Page<T>)> = Vec::new();
    for (parent, key, id, doc, total) in rows {
        if pages.last().map(|(p, _)| p != &parent).unwrap_or(true) {
            pages.push((
                parent.clone(),
                Page::first_of_group(Vec::new(), total as u64, first),
            ));
        }
        let page = &mut pages.last_mut().expect("pushed above").1;
        page.items.push((
            Cursor {
                key: sort_value(key)?,
                id,
            },
            parse_doc(&doc)?,
        ));
    }
    Ok(pages)
}

/// The rows `sql` gives with `params`, each read as the tuple of its columns, in order
/// (`(String, Option<String>, i64)`…).
pub(super) fn tuples<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> StoreResult<Vec<T>>
where
    T: for<'r> TryFrom<&'r rusqlite::Row<'r>, Error = rusqlite::Error>,
{
    let mut stmt = conn.prepare_cached(sql).map_err(map_err)?;
    let rows = stmt
        .query_map(params, |r| T::try_from(r))
        .map_err(map_err)?;
    rows.collect::<Result<_, _>>().map_err(map_err)
}

/// Reads the documents of the rows of `table` with these ids.
pub(super) fn docs_by_id<T: DeserializeOwned>(
    conn: &Connection,
    table: &str,
    ids: &[String],
) -> StoreResult<Vec<T>> {
    docs_where_in(conn, table, "id", ids)
}

/// Reads the documents of the rows of `table` whose `column` is one of `values`.
pub(super) fn docs_where_in<T: DeserializeOwned>(
    conn: &Connection,
    table: &str,
    column: &str,
    values: &[String],
) -> StoreResult<Vec<T>> {
    let sql = format!("SELECT doc FROM {table} WHERE {column} IN ({{in}})");
    rows_in(conn, &sql, values, |r| r.get::<_, String>(0))?
        .iter()
        .map(|doc| parse_doc(doc))
        .collect()
}

/// Reads `(key, document)` pairs: `sql` must select a text key then a document, with an
/// `IN ({in})` placeholder list filled from `ids` chunk by chunk.
pub(super) fn keyed_docs<T: DeserializeOwned>(
    conn: &Connection,
    sql: &str,
    ids: &[String],
) -> StoreResult<Vec<(String, T)>> {
    rows_in(conn, sql, ids, |r| <(String, String)>::try_from(r))?
        .into_iter()
        .map(|(key, doc)| Ok((key, parse_doc(&doc)?)))
        .collect()
}

/// The rows of `sql`, read with `row`: its `IN ({in})` placeholder list is filled from
/// `values`, chunk by chunk (each chunk's rows in the order `sql` gives them).
pub(super) fn rows_in<R>(
    conn: &Connection,
    sql: &str,
    values: &[String],
    mut row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<R>,
) -> StoreResult<Vec<R>> {
    let mut out = Vec::new();
    for chunk in values.chunks(IN_CHUNK) {
        let sql = sql.replace("{in}", &placeholders(chunk.len()));
        let mut stmt = conn.prepare_cached(&sql).map_err(map_err)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(chunk), &mut row)
            .map_err(map_err)?;
        for r in rows {
            out.push(r.map_err(map_err)?);
        }
    }
    Ok(out)
}
