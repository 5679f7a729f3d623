//! Reading the graph on Neo4j: lookups by id, filtered pages with the shared cursor format,
//! grouped first pages, citations and search, with the SQLite store's semantics and order.

use std::collections::{BTreeMap, BTreeSet};

use neo4rs::BoltType;
use serde::de::DeserializeOwned;

use super::cypher::{self, for_label};
use super::listing::{grouped_pages, page, Grouping, Listing, Order, BY_ID, BY_SORT_KEY};
use super::{get, Neo4jStore};
use crate::domain::{
    search_terms, Adoption, Alternative, Batch, Citation, Collectivity, Contribution, EntityKind,
    Need, NeedId, NodeId, Outcome, Solution, Source, SourceId,
};
use crate::store::{
    AdoptionFilter, AdoptionParent, AdoptionSort, CollectivityFilter, CollectivitySort, Counts,
    NeedFilter, Page, PageRequest, SearchHit, SolutionFilter, SolutionSort, StoreError,
    StoreResult,
};

/// Most search terms used from one text (as the SQLite store).
const MAX_TERMS: usize = 8;
/// Most ids bound in one statement.
pub(super) const CHUNK: usize = 1_000;

pub(super) fn parse_doc<T: DeserializeOwned>(doc: &str) -> StoreResult<T> {
    serde_json::from_str(doc)
        .map_err(|e| StoreError::Corrupt(format!("a stored node does not parse: {e}")))
}

fn corrupt(e: crate::domain::ValidationError) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// Usable search terms: non-empty, letters and digits only, at most [`MAX_TERMS`].
fn usable_terms(terms: &[String]) -> Option<Vec<String>> {
    let terms: Vec<String> = terms
        .iter()
        .filter(|t| !t.is_empty() && t.chars().all(char::is_alphanumeric))
        .take(MAX_TERMS)
        .cloned()
        .collect();
    (!terms.is_empty()).then_some(terms)
}

/// The `$terms` of a filter's text: `Ok(None)` for no text, `Err(())` for text with no usable
/// term (nothing matches).
fn text_terms(text: &Option<String>) -> Result<Option<Vec<String>>, ()> {
    match text {
        None => Ok(None),
        Some(text) => usable_terms(&search_terms(text, MAX_TERMS))
            .map(Some)
            .ok_or(()),
    }
}

fn opt_list(values: Vec<String>) -> BoltType {
    if values.is_empty() {
        None::<Vec<String>>.into()
    } else {
        values.into()
    }
}

pub(super) async fn docs_by_id<T: DeserializeOwned>(
    store: &Neo4jStore,
    label: &'static str,
    ids: Vec<String>,
) -> StoreResult<Vec<T>> {
    let statement = for_label(cypher::DOCS_BY_ID, label);
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        for row in store
            .rows(neo4rs::query(&statement).param("ids", chunk.to_vec()))
            .await?
        {
            out.push(parse_doc(&get::<String>(&row, "doc")?)?);
        }
    }
    Ok(out)
}

fn by_kind(ids: impl IntoIterator<Item = NodeId>) -> BTreeMap<EntityKind, Vec<NodeId>> {
    let mut out: BTreeMap<EntityKind, Vec<NodeId>> = BTreeMap::new();
    for id in ids {
        out.entry(id.kind()).or_default().push(id);
    }
    out
}

pub(super) async fn missing(store: &Neo4jStore, ids: Vec<NodeId>) -> StoreResult<Vec<NodeId>> {
    let order = ids.clone();
    let mut missing = BTreeSet::new();
    for (kind, ids) in by_kind(ids) {
        let statement = match cypher::label(kind) {
            Some(label) => for_label(cypher::MISSING_IDS, label),
            None => cypher::MISSING_ALTERNATIVES.to_owned(),
        };
        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
        for chunk in ids.chunks(CHUNK) {
            for row in store
                .rows(neo4rs::query(&statement).param("ids", chunk.to_vec()))
                .await?
            {
                missing.insert(get::<String>(&row, "id")?);
            }
        }
    }
    Ok(order
        .into_iter()
        .filter(|id| missing.contains(id.as_str()))
        .collect())
}

async fn count(store: &Neo4jStore, statement: &str) -> StoreResult<u64> {
    let rows = store.rows(neo4rs::query(statement)).await?;
    match rows.first() {
        Some(row) => Ok(get::<i64>(row, "n")? as u64),
        None => Ok(0),
    }
}

pub(super) async fn counts(store: &Neo4jStore) -> StoreResult<Counts> {
    let mut kinds = BTreeMap::new();
    let mut citations = 0;
    for kind in EntityKind::ALL {
        let n = match cypher::label(kind) {
            Some(label) => {
                citations += count(store, &for_label(cypher::COUNT_CITATIONS, label)).await?;
                count(store, &for_label(cypher::COUNT_NODES, label)).await?
            }
            None => count(store, cypher::COUNT_ALTERNATIVES).await?,
        };
        kinds.insert(kind.prefix().to_owned(), n);
    }
    let rows = store
        .rows(neo4rs::query(cypher::ALL_ALTERNATIVE_CITATIONS))
        .await?;
    citations += rows.len() as u64;
    kinds.insert("citation".to_owned(), citations);
    for (kind, label) in [
        ("watch_source", "WatchSource"),
        ("release", "Release"),
        ("product_cycle", "ProductCycle"),
    ] {
        kinds.insert(
            kind.to_owned(),
            count(store, &for_label(cypher::COUNT_NODES, label)).await?,
        );
    }
    Ok(Counts { kinds })
}

pub(super) async fn revision(store: &Neo4jStore) -> StoreResult<u64> {
    let rows = store.rows(neo4rs::query(cypher::REVISION)).await?;
    match rows.first() {
        Some(row) => Ok(get::<i64>(row, "revision")? as u64),
        None => Ok(0),
    }
}

async fn all_docs<T: DeserializeOwned>(store: &Neo4jStore, statement: &str) -> StoreResult<Vec<T>> {
    store
        .rows(neo4rs::query(statement))
        .await?
        .iter()
        .map(|row| parse_doc(&get::<String>(row, "doc")?))
        .collect()
}

fn citation_rows(rows: &[neo4rs::Row]) -> StoreResult<Vec<Citation>> {
    rows.iter()
        .map(|row| {
            Ok(Citation {
                locator: row.get::<Option<String>>("locator").ok().flatten(),
                subject: NodeId::parse(&get::<String>(row, "subject")?).map_err(corrupt)?,
                source: SourceId::parse(&get::<String>(row, "source")?).map_err(corrupt)?,
            })
        })
        .collect()
}

/// The whole graph, every list ordered by id. Bolt reads are not one snapshot across
/// statements: dump a store nobody writes to (as `migrate` does).
pub(super) async fn dump(store: &Neo4jStore) -> StoreResult<Batch> {
    let all = |kind| for_label(cypher::ALL_DOCS, cypher::label(kind).expect("a node kind"));
    let mut citations = Vec::new();
    for kind in EntityKind::ALL {
        let rows = match cypher::label(kind) {
            Some(label) => {
                store
                    .rows(neo4rs::query(&for_label(cypher::ALL_CITATIONS, label)))
                    .await?
            }
            None => {
                store
                    .rows(neo4rs::query(cypher::ALL_ALTERNATIVE_CITATIONS))
                    .await?
            }
        };
        citations.extend(citation_rows(&rows)?);
    }
    citations.sort();
    Ok(Batch {
        releases: all_docs(store, &for_label(cypher::ALL_DOCS, "ProductCycle")).await?,
        sources: all_docs(store, &all(EntityKind::Source)).await?,
        needs: all_docs(store, &all(EntityKind::Need)).await?,
        publishers: all_docs(store, &all(EntityKind::Publisher)).await?,
        solutions: all_docs(store, &all(EntityKind::Solution)).await?,
        alternatives: all_docs(store, cypher::ALL_ALTERNATIVES).await?,
        collectivities: all_docs(store, &all(EntityKind::Collectivity)).await?,
        adoptions: all_docs(store, &all(EntityKind::Adoption)).await?,
        outcomes: all_docs(store, &all(EntityKind::Outcome)).await?,
        contributions: all_docs(store, &all(EntityKind::Contribution)).await?,
        citations,
    })
}

pub(super) async fn narrower_needs(
    store: &Neo4jStore,
    ids: Vec<String>,
) -> StoreResult<Vec<(NeedId, Need)>> {
    let rows = store
        .rows(neo4rs::query(cypher::NARROWER_NEEDS).param("ids", ids))
        .await?;
    rows.iter()
        .map(|row| {
            Ok((
                NeedId::parse(&get::<String>(row, "broader")?).map_err(corrupt)?,
                parse_doc(&get::<String>(row, "doc")?)?,
            ))
        })
        .collect()
}

/// The ids of a need and, when asked, of every need under it.
async fn need_set(
    store: &Neo4jStore,
    need: &NeedId,
    include_narrower: bool,
) -> StoreResult<Vec<String>> {
    if !include_narrower {
        return Ok(vec![need.to_string()]);
    }
    let rows = store
        .rows(neo4rs::query(cypher::NEED_SUBTREE).param("id", need.as_str()))
        .await?;
    let mut ids: Vec<String> = rows
        .iter()
        .map(|row| get::<String>(row, "id"))
        .collect::<StoreResult<_>>()?;
    if ids.is_empty() {
        ids.push(need.to_string());
    }
    Ok(ids)
}

pub(super) async fn list_needs(
    store: &Neo4jStore,
    filter: &NeedFilter,
    request: &PageRequest,
) -> StoreResult<Page<Need>> {
    let Ok(terms) = text_terms(&filter.text) else {
        return Ok(Page::empty());
    };
    let listing = Listing {
        label: "Need",
        condition: cypher::NEED_WHERE,
        params: vec![
            (
                "broader",
                filter.broader.as_ref().map(|b| b.to_string()).into(),
            ),
            ("topLevel", filter.top_level.into()),
            ("includeRetired", filter.include_retired.into()),
            ("terms", terms.into()),
        ],
    };
    page(store, &listing, &BY_SORT_KEY, request).await
}

fn strings<T: ToString>(values: &[T]) -> Vec<String> {
    values.iter().map(ToString::to_string).collect()
}

/// The listing of solutions; `None` when the text has no usable term.
fn solution_listing(filter: &SolutionFilter, needs: Option<Vec<String>>) -> Option<Listing> {
    let terms = text_terms(&filter.text).ok()?;
    Some(Listing {
        label: "Solution",
        condition: cypher::SOLUTION_WHERE,
        params: vec![
            (
                "kinds",
                opt_list(filter.kinds.iter().map(|k| k.as_str().to_owned()).collect()),
            ),
            (
                "statuses",
                opt_list(
                    filter
                        .statuses
                        .iter()
                        .map(|k| k.as_str().to_owned())
                        .collect(),
                ),
            ),
            ("needs", needs.into()),
            (
                "licence",
                filter
                    .licence
                    .as_ref()
                    .map(|l| l.trim().to_uppercase())
                    .into(),
            ),
            (
                "publisher",
                filter.publisher.as_ref().map(|p| p.to_string()).into(),
            ),
            ("terms", terms.into()),
        ],
    })
}

fn solution_order(sort: SolutionSort) -> &'static Order {
    match sort {
        SolutionSort::Name => &BY_SORT_KEY,
        SolutionSort::Id => &BY_ID,
    }
}

pub(super) async fn list_solutions(
    store: &Neo4jStore,
    filter: &SolutionFilter,
    sort: SolutionSort,
    request: &PageRequest,
) -> StoreResult<Page<Solution>> {
    let needs = match &filter.need {
        Some(need) => Some(need_set(store, need, filter.include_narrower).await?),
        None => None,
    };
    let Some(listing) = solution_listing(filter, needs) else {
        return Ok(Page::empty());
    };
    page(store, &listing, solution_order(sort), request).await
}

pub(super) async fn solutions_by_need(
    store: &Neo4jStore,
    needs: Vec<NeedId>,
    filter: &SolutionFilter,
    sort: SolutionSort,
    first: usize,
) -> StoreResult<Vec<(NeedId, Page<Solution>)>> {
    let Some(listing) = solution_listing(filter, None) else {
        return Ok(Vec::new());
    };
    let grouping = Grouping {
        parent: if filter.include_narrower {
            cypher::PARENT_NEED_TREE
        } else {
            cypher::PARENT_NEED
        },
        belongs: cypher::SERVES_SET,
    };
    let parents: BTreeSet<String> = needs.iter().map(ToString::to_string).collect();
    let pages = grouped_pages(
        store,
        &listing,
        &grouping,
        solution_order(sort),
        parents.into_iter().collect(),
        first,
    )
    .await?;
    pages
        .into_iter()
        .map(|(need, page)| Ok((NeedId::parse(&need).map_err(corrupt)?, page)))
        .collect()
}

pub(super) async fn alternatives_of(
    store: &Neo4jStore,
    ids: Vec<String>,
) -> StoreResult<Vec<Alternative>> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for chunk in ids.chunks(CHUNK) {
        for row in store
            .rows(neo4rs::query(cypher::ALTERNATIVES_OF).param("ids", chunk.to_vec()))
            .await?
        {
            if seen.insert(get::<String>(&row, "id")?) {
                out.push(parse_doc(&get::<String>(&row, "doc")?)?);
            }
        }
    }
    Ok(out)
}

pub(super) async fn list_collectivities(
    store: &Neo4jStore,
    filter: &CollectivityFilter,
    sort: CollectivitySort,
    request: &PageRequest,
) -> StoreResult<Page<Collectivity>> {
    let Ok(terms) = text_terms(&filter.text) else {
        return Ok(Page::empty());
    };
    let listing = Listing {
        label: "Collectivity",
        condition: cypher::COLLECTIVITY_WHERE,
        params: vec![
            (
                "kinds",
                opt_list(filter.kinds.iter().map(|k| k.as_str().to_owned()).collect()),
            ),
            (
                "country",
                filter.country.as_ref().map(|c| c.to_uppercase()).into(),
            ),
            ("popMin", filter.population_min.map(|p| p as i64).into()),
            ("popMax", filter.population_max.map(|p| p as i64).into()),
            (
                "parent",
                filter.parent.as_ref().map(|p| p.to_string()).into(),
            ),
            ("department", filter.department.clone().into()),
            ("terms", terms.into()),
        ],
    };
    let order = match sort {
        CollectivitySort::Name => &BY_SORT_KEY,
        CollectivitySort::PopulationDesc => &Order {
            key: "n.popKey",
            desc: true,
            numeric: true,
        },
    };
    page(store, &listing, order, request).await
}

async fn adoption_listing(store: &Neo4jStore, filter: &AdoptionFilter) -> StoreResult<Listing> {
    let needs = match &filter.need {
        Some(need) => Some(need_set(store, need, filter.include_narrower).await?),
        None => None,
    };
    Ok(Listing {
        label: "Adoption",
        condition: cypher::ADOPTION_WHERE,
        params: vec![
            (
                "solution",
                filter.solution.as_ref().map(|s| s.to_string()).into(),
            ),
            (
                "collectivity",
                filter.collectivity.as_ref().map(|c| c.to_string()).into(),
            ),
            ("needs", needs.into()),
            (
                "statuses",
                opt_list(
                    filter
                        .statuses
                        .iter()
                        .map(|k| k.as_str().to_owned())
                        .collect(),
                ),
            ),
            (
                "outcomeKinds",
                opt_list(
                    filter
                        .outcome_kinds
                        .iter()
                        .map(|k| k.as_str().to_owned())
                        .collect(),
                ),
            ),
        ],
    })
}

fn adoption_order(sort: AdoptionSort) -> &'static Order {
    match sort {
        AdoptionSort::Id => &BY_ID,
        AdoptionSort::StartedDesc => &Order {
            key: "n.startedKey",
            desc: true,
            numeric: false,
        },
    }
}

pub(super) async fn list_adoptions(
    store: &Neo4jStore,
    filter: &AdoptionFilter,
    sort: AdoptionSort,
    request: &PageRequest,
) -> StoreResult<Page<Adoption>> {
    let listing = adoption_listing(store, filter).await?;
    page(store, &listing, adoption_order(sort), request).await
}

pub(super) async fn adoptions_by_parent(
    store: &Neo4jStore,
    parent: AdoptionParent,
    ids: Vec<String>,
    filter: &AdoptionFilter,
    sort: AdoptionSort,
    first: usize,
) -> StoreResult<Vec<(String, Page<Adoption>)>> {
    // The parent narrows the filter: both must hold, as in the SQLite store.
    let listing = adoption_listing(store, filter).await?;
    let grouping = Grouping {
        parent: "",
        belongs: match parent {
            AdoptionParent::Collectivity => cypher::BY_COLLECTIVITY,
            AdoptionParent::Solution => cypher::OF_SOLUTION,
            AdoptionParent::Need => cypher::FOR_NEED,
        },
    };
    let parents: BTreeSet<String> = ids.into_iter().collect();
    grouped_pages(
        store,
        &listing,
        &grouping,
        adoption_order(sort),
        parents.into_iter().collect(),
        first,
    )
    .await
}

pub(super) async fn outcomes_of(
    store: &Neo4jStore,
    adoptions: Vec<String>,
) -> StoreResult<Vec<Outcome>> {
    let mut rows: Vec<(String, Outcome)> = Vec::new();
    for chunk in adoptions.chunks(CHUNK) {
        let q = neo4rs::query(cypher::OUTCOMES_OF).param("ids", chunk.to_vec());
        for row in store.rows(q).await? {
            rows.push((
                get::<String>(&row, "id")?,
                parse_doc(&get::<String>(&row, "doc")?)?,
            ));
        }
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(rows.into_iter().map(|(_, o)| o).collect())
}

pub(super) async fn list_sources(
    store: &Neo4jStore,
    request: &PageRequest,
) -> StoreResult<Page<Source>> {
    let listing = Listing {
        label: "Source",
        condition: cypher::ANY,
        params: Vec::new(),
    };
    page(store, &listing, &BY_ID, request).await
}

pub(super) async fn citations_of(
    store: &Neo4jStore,
    subjects: Vec<NodeId>,
) -> StoreResult<Vec<Citation>> {
    let mut out = Vec::new();
    for (kind, ids) in by_kind(subjects) {
        let statement = match cypher::label(kind) {
            Some(label) => for_label(cypher::CITATIONS_OF, label),
            None => cypher::ALTERNATIVE_CITATIONS_OF.to_owned(),
        };
        let ids = strings(&ids);
        for chunk in ids.chunks(CHUNK) {
            let rows = store
                .rows(neo4rs::query(&statement).param("ids", chunk.to_vec()))
                .await?;
            out.extend(citation_rows(&rows)?);
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

pub(super) async fn citation_counts(
    store: &Neo4jStore,
    sources: Vec<String>,
) -> StoreResult<Vec<(SourceId, u64)>> {
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for chunk in sources.chunks(CHUNK) {
        for statement in [
            cypher::NODE_CITATION_COUNTS,
            cypher::ALTERNATIVE_CITATION_COUNTS,
        ] {
            for row in store
                .rows(neo4rs::query(statement).param("ids", chunk.to_vec()))
                .await?
            {
                *counts.entry(get::<String>(&row, "source")?).or_default() +=
                    get::<i64>(&row, "n")? as u64;
            }
        }
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| Ok((SourceId::parse(&s).map_err(corrupt)?, n)))
        .collect()
}

/// The kinds search covers, as the SQLite store's full-text index.
const SEARCHABLE: [EntityKind; 3] = [
    EntityKind::Need,
    EntityKind::Solution,
    EntityKind::Collectivity,
];

pub(super) async fn search(
    store: &Neo4jStore,
    terms: Vec<String>,
    kinds: Vec<EntityKind>,
    limit: usize,
) -> StoreResult<Vec<SearchHit>> {
    let Some(terms) = usable_terms(&terms) else {
        return Ok(Vec::new());
    };
    let mut hits = Vec::new();
    for kind in SEARCHABLE {
        if !kinds.is_empty() && !kinds.contains(&kind) {
            continue;
        }
        let label = cypher::label(kind).expect("searchable kinds are nodes");
        let q = neo4rs::query(&for_label(cypher::SEARCH, label)).param("terms", terms.clone());
        for row in store.rows(q).await? {
            hits.push(SearchHit {
                id: NodeId::parse(&get::<String>(&row, "id")?).map_err(corrupt)?,
                label: get::<String>(&row, "label")?,
                score: get::<i64>(&row, "exact")? as f64
                    + 1.0 / (1.0 + get::<i64>(&row, "words")? as f64),
            });
        }
    }
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    hits.truncate(limit);
    Ok(hits)
}

pub(super) async fn contributions_for(
    store: &Neo4jStore,
    collectivities: Vec<String>,
    solutions: Vec<String>,
) -> StoreResult<Vec<Contribution>> {
    let q = neo4rs::query(cypher::CONTRIBUTIONS_FOR)
        .param("collectivities", collectivities)
        .param("solutions", solutions);
    store
        .rows(q)
        .await?
        .iter()
        .map(|row| parse_doc(&get::<String>(row, "doc")?))
        .collect()
}
