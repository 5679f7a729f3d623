//! Reading the graph: lookups by id, filtered pages, grouped first pages, search.

use std::collections::BTreeMap;

use rusqlite::types::Value;
use rusqlite::Connection;

use super::sql::{self, placeholders, texts, Conditions, Order, IN_CHUNK};
use super::{map_err, table_of};
use crate::domain::{
    Adoption, Alternative, Batch, Citation, Collectivity, Contribution, EntityKind, Need, NeedId,
    NodeId, Outcome, Solution, Source, SourceId,
};
use crate::store::{
    AdoptionFilter, AdoptionParent, AdoptionSort, CollectivityFilter, CollectivitySort, Counts,
    NeedFilter, Page, PageRequest, SearchHit, SolutionFilter, SolutionSort, StoreError,
    StoreResult,
};

pub(super) use sql::docs_by_id;

/// Most search terms used from one text.
const MAX_TERMS: usize = 8;

/// The FTS5 query for these already-folded terms: every term, each as a prefix.
fn match_expression(terms: &[String]) -> Option<String> {
    let terms: Vec<String> = terms
        .iter()
        .filter(|t| !t.is_empty() && t.chars().all(char::is_alphanumeric))
        .take(MAX_TERMS)
        .map(|t| {
            // A short term matches whole words only (see `domain::MIN_PREFIX_CHARS`).
            let prefix = if crate::domain::matches_prefix(t) {
                "*"
            } else {
                ""
            };
            format!("\"{t}\"{prefix}")
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Adds a text condition on `id_column`; `false` when the text has no usable term (no row matches).
fn add_text(conditions: &mut Conditions, id_column: &str, text: &Option<String>) -> bool {
    let Some(text) = text else { return true };
    match match_expression(&crate::domain::search_terms(text, MAX_TERMS)) {
        Some(expr) => {
            conditions.add(
                format!("{id_column} IN (SELECT entity_id FROM search_index WHERE search_index MATCH ?)"),
                [Value::Text(expr)],
            );
            true
        }
        None => false,
    }
}

/// The SQL that lists a need and every need under it, bound to one parameter.
const NEED_SUBTREE: &str = "(WITH RECURSIVE sub(id) AS (VALUES (?) UNION SELECT n.id FROM needs n JOIN sub ON n.broader_id = sub.id) SELECT id FROM sub)";

pub(super) fn missing(conn: &Connection, ids: Vec<NodeId>) -> StoreResult<Vec<NodeId>> {
    let mut missing = Vec::new();
    for id in ids {
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM {} WHERE id = ?)",
            table_of(id.kind())
        );
        let exists: bool = conn
            .prepare_cached(&sql)
            .and_then(|mut s| s.query_row([id.as_str()], |r| r.get(0)))
            .map_err(map_err)?;
        if !exists {
            missing.push(id);
        }
    }
    Ok(missing)
}

pub(super) fn counts(conn: &Connection) -> StoreResult<Counts> {
    let mut kinds = BTreeMap::new();
    for kind in EntityKind::ALL {
        let n: i64 = conn
            .query_row(
                &format!("SELECT COUNT(*) FROM {}", table_of(kind)),
                [],
                |r| r.get(0),
            )
            .map_err(map_err)?;
        kinds.insert(kind.prefix().to_owned(), n as u64);
    }
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM citations", [], |r| r.get(0))
        .map_err(map_err)?;
    kinds.insert("citation".to_owned(), n as u64);
    for (kind, table) in [
        ("watch_source", "watch_sources"),
        ("release", "releases"),
        ("product_cycle", "product_cycles"),
    ] {
        let n: i64 = conn
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .map_err(map_err)?;
        kinds.insert(kind.to_owned(), n as u64);
    }
    Ok(Counts { kinds })
}

pub(super) fn revision(conn: &Connection) -> StoreResult<u64> {
    conn.query_row(
        "SELECT value FROM store_meta WHERE key = 'revision'",
        [],
        |r| r.get::<_, i64>(0),
    )
    .map(|v| v as u64)
    .map_err(map_err)
}

fn all_docs<T: serde::de::DeserializeOwned>(conn: &Connection, table: &str) -> StoreResult<Vec<T>> {
    let mut stmt = conn
        .prepare(&format!("SELECT doc FROM {table} ORDER BY id"))
        .map_err(map_err)?;
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(map_err)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(sql::parse_doc(&row.map_err(map_err)?)?);
    }
    Ok(out)
}

/// The citations a `SELECT subject_id, source_id, locator` statement gives.
fn citations_from(
    stmt: &mut rusqlite::Statement<'_>,
    params: impl rusqlite::Params,
) -> StoreResult<Vec<Citation>> {
    let corrupt = |e: crate::domain::ValidationError| StoreError::Corrupt(e.to_string());
    stmt.query_map(params, |r| <(String, String, Option<String>)>::try_from(r))
        .map_err(map_err)?
        .map(|row| {
            let (subject, source, locator) = row.map_err(map_err)?;
            Ok(Citation {
                subject: NodeId::parse(&subject).map_err(corrupt)?,
                source: SourceId::parse(&source).map_err(corrupt)?,
                locator,
            })
        })
        .collect()
}

pub(super) fn dump(conn: &Connection) -> StoreResult<Batch> {
    // One read transaction, so the dump is a consistent snapshot.
    conn.execute_batch("BEGIN").map_err(map_err)?;
    let result = (|| {
        let mut stmt = conn
            .prepare("SELECT subject_id, source_id, locator FROM citations ORDER BY subject_id, source_id")
            .map_err(map_err)?;
        let citations = citations_from(&mut stmt, [])?;
        Ok(Batch {
            sources: all_docs(conn, "sources")?,
            needs: all_docs(conn, "needs")?,
            publishers: all_docs(conn, "publishers")?,
            solutions: all_docs(conn, "solutions")?,
            alternatives: all_docs(conn, "alternatives")?,
            collectivities: all_docs(conn, "collectivities")?,
            adoptions: all_docs(conn, "adoptions")?,
            outcomes: all_docs(conn, "outcomes")?,
            contributions: all_docs(conn, "contributions")?,
            citations,
            releases: all_docs(conn, "product_cycles")?,
        })
    })();
    conn.execute_batch("COMMIT").map_err(map_err)?;
    result
}

pub(super) fn narrower_needs(
    conn: &Connection,
    ids: &[String],
) -> StoreResult<Vec<(NeedId, Need)>> {
    let rows: Vec<(String, Need)> = sql::keyed_docs(
        conn,
        "SELECT broader_id, doc FROM needs WHERE broader_id IN ({in}) ORDER BY sort_key, id",
        ids,
    )?;
    rows.into_iter()
        .map(|(k, n)| {
            Ok((
                NeedId::parse(&k).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                n,
            ))
        })
        .collect()
}

pub(super) fn list_needs(
    conn: &Connection,
    filter: &NeedFilter,
    page: &PageRequest,
) -> StoreResult<Page<Need>> {
    let mut c = Conditions::default();
    if let Some(broader) = &filter.broader {
        c.add("n.broader_id = ?", [Value::Text(broader.to_string())]);
    }
    if filter.top_level {
        c.add("n.broader_id IS NULL", []);
    }
    if !filter.include_retired {
        c.add("json_extract(n.doc, '$.retired') IS NULL", []);
    }
    if !add_text(&mut c, "n.id", &filter.text) {
        return Ok(Page::empty());
    }
    let order = Order::text("n.sort_key", "n.id");
    sql::page(conn, "needs n", "n.doc", &c, &order, page)
}

fn solution_conditions(filter: &SolutionFilter, with_need: bool) -> Option<Conditions> {
    let mut c = Conditions::default();
    let kinds: Vec<&str> = filter.kinds.iter().map(|k| k.as_str()).collect();
    c.add_in("s.kind", &kinds);
    let statuses: Vec<&str> = filter.statuses.iter().map(|k| k.as_str()).collect();
    c.add_in("s.status", &statuses);
    if let (true, Some(need)) = (with_need, &filter.need) {
        let set = if filter.include_narrower {
            NEED_SUBTREE
        } else {
            "(?)"
        };
        c.add(
            format!(
                "s.id IN (SELECT sn.solution_id FROM solution_needs sn WHERE sn.need_id IN {set})"
            ),
            [Value::Text(need.to_string())],
        );
    }
    if let Some(licence) = &filter.licence {
        let escaped = licence
            .trim()
            .to_uppercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        c.add(
            "s.licence_key LIKE ? ESCAPE '\\'",
            [Value::Text(format!("% {escaped} %"))],
        );
    }
    if let Some(publisher) = &filter.publisher {
        c.add("s.publisher_id = ?", [Value::Text(publisher.to_string())]);
    }
    add_text(&mut c, "s.id", &filter.text).then_some(c)
}

fn solution_order(sort: SolutionSort) -> Order<'static> {
    match sort {
        SolutionSort::Name => Order::text("s.sort_key", "s.id"),
        SolutionSort::Id => Order::text("s.id", "s.id"),
    }
}

pub(super) fn list_solutions(
    conn: &Connection,
    filter: &SolutionFilter,
    sort: SolutionSort,
    page: &PageRequest,
) -> StoreResult<Page<Solution>> {
    let Some(c) = solution_conditions(filter, true) else {
        return Ok(Page::empty());
    };
    sql::page(
        conn,
        "solutions s",
        "s.doc",
        &c,
        &solution_order(sort),
        page,
    )
}

pub(super) fn solutions_by_need(
    conn: &Connection,
    needs: &[String],
    filter: &SolutionFilter,
    sort: SolutionSort,
    first: usize,
) -> StoreResult<Vec<(NeedId, Page<Solution>)>> {
    let Some(c) = solution_conditions(filter, false) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for chunk in needs.chunks(IN_CHUNK) {
        let recursion = if filter.include_narrower {
            " UNION SELECT tree.root, n.id FROM needs n JOIN tree ON n.broader_id = tree.id"
        } else {
            ""
        };
        let with = format!(
            "WITH RECURSIVE tree(root, id) AS (SELECT id, id FROM needs WHERE id IN ({}){recursion})",
            placeholders(chunk.len())
        );
        let params: Vec<Value> = texts(chunk).collect();
        let from = "(SELECT DISTINCT tree.root AS root, sn.solution_id AS sid FROM tree JOIN solution_needs sn ON sn.need_id = tree.id) p JOIN solutions s ON s.id = p.sid";
        let pages = sql::grouped_first_pages(
            conn,
            &with,
            &params,
            from,
            "p.root",
            "s.doc",
            &c,
            &solution_order(sort),
            first,
        )?;
        for (need, page) in pages {
            out.push((
                NeedId::parse(&need).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                page,
            ));
        }
    }
    Ok(out)
}

pub(super) fn alternatives_of(conn: &Connection, ids: &[String]) -> StoreResult<Vec<Alternative>> {
    let mut out: Vec<Alternative> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for chunk in ids.chunks(IN_CHUNK) {
        let list = placeholders(chunk.len());
        let sql = format!(
            "SELECT id, doc FROM alternatives WHERE libre_id IN ({list}) OR proprietary_id IN ({list}) ORDER BY id"
        );
        let params: Vec<Value> = texts(chunk).chain(texts(chunk)).collect();
        let rows: Vec<(String, String)> =
            sql::tuples(conn, &sql, rusqlite::params_from_iter(params))?;
        for (id, doc) in rows {
            if seen.insert(id) {
                out.push(sql::parse_doc(&doc)?);
            }
        }
    }
    Ok(out)
}

pub(super) fn list_collectivities(
    conn: &Connection,
    filter: &CollectivityFilter,
    sort: CollectivitySort,
    page: &PageRequest,
) -> StoreResult<Page<Collectivity>> {
    let mut c = Conditions::default();
    let kinds: Vec<&str> = filter.kinds.iter().map(|k| k.as_str()).collect();
    c.add_in("c.kind", &kinds);
    if let Some(country) = &filter.country {
        c.add("c.country = ?", [Value::Text(country.to_uppercase())]);
    }
    if let Some(min) = filter.population_min {
        c.add("c.population >= ?", [Value::Integer(min as i64)]);
    }
    if let Some(max) = filter.population_max {
        c.add("c.population <= ?", [Value::Integer(max as i64)]);
    }
    if let Some(parent) = &filter.parent {
        c.add("c.parent_id = ?", [Value::Text(parent.to_string())]);
    }
    if let Some(department) = &filter.department {
        c.add("c.department = ?", [Value::Text(department.clone())]);
    }
    if !add_text(&mut c, "c.id", &filter.text) {
        return Ok(Page::empty());
    }
    let order = match sort {
        CollectivitySort::Name => Order::text("c.sort_key", "c.id"),
        CollectivitySort::PopulationDesc => {
            Order::number("COALESCE(c.population, -1)", "c.id").descending()
        }
    };
    sql::page(conn, "collectivities c", "c.doc", &c, &order, page)
}

fn adoption_conditions(filter: &AdoptionFilter) -> Conditions {
    let mut c = Conditions::default();
    if let Some(solution) = &filter.solution {
        c.add("a.solution_id = ?", [Value::Text(solution.to_string())]);
    }
    if let Some(collectivity) = &filter.collectivity {
        c.add(
            "a.collectivity_id = ?",
            [Value::Text(collectivity.to_string())],
        );
    }
    if let Some(need) = &filter.need {
        if filter.include_narrower {
            c.add(
                format!("a.need_id IN {NEED_SUBTREE}"),
                [Value::Text(need.to_string())],
            );
        } else {
            c.add("a.need_id = ?", [Value::Text(need.to_string())]);
        }
    }
    let statuses: Vec<&str> = filter.statuses.iter().map(|k| k.as_str()).collect();
    c.add_in("a.status", &statuses);
    if !filter.outcome_kinds.is_empty() {
        c.add(
            format!(
                "EXISTS (SELECT 1 FROM outcomes o WHERE o.adoption_id = a.id AND o.kind IN ({})
                 AND json_extract(o.doc, '$.retired') IS NULL)",
                placeholders(filter.outcome_kinds.len())
            ),
            filter
                .outcome_kinds
                .iter()
                .map(|k| Value::Text(k.as_str().to_owned())),
        );
    }
    c
}

fn adoption_order(sort: AdoptionSort) -> Order<'static> {
    match sort {
        AdoptionSort::Id => Order::text("a.id", "a.id"),
        AdoptionSort::StartedDesc => Order::text("a.started_key", "a.id").descending(),
    }
}

pub(super) fn list_adoptions(
    conn: &Connection,
    filter: &AdoptionFilter,
    sort: AdoptionSort,
    page: &PageRequest,
) -> StoreResult<Page<Adoption>> {
    let c = adoption_conditions(filter);
    sql::page(
        conn,
        "adoptions a",
        "a.doc",
        &c,
        &adoption_order(sort),
        page,
    )
}

pub(super) fn adoptions_by_parent(
    conn: &Connection,
    parent: AdoptionParent,
    ids: &[String],
    filter: &AdoptionFilter,
    sort: AdoptionSort,
    first: usize,
) -> StoreResult<Vec<(String, Page<Adoption>)>> {
    let column = match parent {
        AdoptionParent::Collectivity => "a.collectivity_id",
        AdoptionParent::Solution => "a.solution_id",
        AdoptionParent::Need => "a.need_id",
    };
    let mut out = Vec::new();
    for chunk in ids.chunks(IN_CHUNK) {
        let mut c = adoption_conditions(filter);
        let refs: Vec<&str> = chunk.iter().map(String::as_str).collect();
        c.add_in(column, &refs);
        out.extend(sql::grouped_first_pages(
            conn,
            "",
            &[],
            "adoptions a",
            column,
            "a.doc",
            &c,
            &adoption_order(sort),
            first,
        )?);
    }
    Ok(out)
}

pub(super) fn outcomes_of(conn: &Connection, adoptions: &[String]) -> StoreResult<Vec<Outcome>> {
    let rows: Vec<(String, Outcome)> = sql::keyed_docs(
        conn,
        "SELECT id, doc FROM outcomes WHERE adoption_id IN ({in}) ORDER BY id",
        adoptions,
    )?;
    Ok(rows.into_iter().map(|(_, o)| o).collect())
}

pub(super) fn list_sources(conn: &Connection, page: &PageRequest) -> StoreResult<Page<Source>> {
    let order = Order::text("src.id", "src.id");
    sql::page(
        conn,
        "sources src",
        "src.doc",
        &Conditions::default(),
        &order,
        page,
    )
}

pub(super) fn citations_of(conn: &Connection, subjects: &[String]) -> StoreResult<Vec<Citation>> {
    let mut out = Vec::new();
    for chunk in subjects.chunks(IN_CHUNK) {
        let sql = format!(
            "SELECT subject_id, source_id, locator FROM citations WHERE subject_id IN ({}) ORDER BY subject_id, source_id",
            placeholders(chunk.len())
        );
        let mut stmt = conn.prepare_cached(&sql).map_err(map_err)?;
        out.extend(citations_from(
            &mut stmt,
            rusqlite::params_from_iter(chunk),
        )?);
    }
    Ok(out)
}

pub(super) fn citation_counts(
    conn: &Connection,
    sources: &[String],
) -> StoreResult<Vec<(SourceId, u64)>> {
    let sql =
        "SELECT source_id, COUNT(*) FROM citations WHERE source_id IN ({in}) GROUP BY source_id";
    let rows = sql::rows_in(conn, sql, sources, |r| <(String, i64)>::try_from(r))?;
    let mut out = Vec::with_capacity(rows.len());
    for (source, n) in rows {
        out.push((
            SourceId::parse(&source).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            n as u64,
        ));
    }
    Ok(out)
}

pub(super) fn search(
    conn: &Connection,
    terms: &[String],
    kinds: &[EntityKind],
    limit: usize,
) -> StoreResult<Vec<SearchHit>> {
    let Some(expr) = match_expression(terms) else {
        return Ok(Vec::new());
    };
    let mut c = Conditions::default();
    c.add("search_index MATCH ?", [Value::Text(expr)]);
    let prefixes: Vec<&str> = kinds.iter().map(|k| k.prefix()).collect();
    c.add_in("kind", &prefixes);
    // Search offers live needs only (a retired need stays listed with `includeRetired`). Asked
    // per matching row through the needs' primary key: a list of every retired need, built on
    // each search, costs more than the full-text match itself.
    c.add(
        "NOT EXISTS (SELECT 1 FROM needs n WHERE n.id = search_index.entity_id \
         AND json_extract(n.doc, '$.retired') IS NOT NULL)",
        [],
    );
    let sql = format!(
        "SELECT entity_id, label, bm25(search_index) AS rank FROM search_index WHERE {}
         ORDER BY rank, entity_id LIMIT ?",
        c.sql()
    );
    let mut params = c.params().to_vec();
    params.push(Value::Integer(limit as i64));
    let rows: Vec<(String, String, f64)> =
        sql::tuples(conn, &sql, rusqlite::params_from_iter(params))?;
    let mut hits = Vec::new();
    for (id, label, rank) in rows {
        hits.push(SearchHit {
            id: NodeId::parse(&id).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            label,
            score: -rank,
        });
    }
    Ok(hits)
}

pub(super) fn contributions_for(
    conn: &Connection,
    collectivities: &[String],
    solutions: &[String],
) -> StoreResult<Vec<Contribution>> {
    let mut rows: Vec<(String, Contribution)> = sql::keyed_docs(
        conn,
        "SELECT id, doc FROM contributions WHERE collectivity_id IN ({in})",
        collectivities,
    )?;
    rows.extend(sql::keyed_docs(
        conn,
        "SELECT id, doc FROM contributions WHERE solution_id IN ({in})",
        solutions,
    )?);
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows.dedup_by(|a, b| a.0 == b.0);
    Ok(rows.into_iter().map(|(_, c)| c).collect())
}
