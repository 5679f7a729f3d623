//! Writing a batch on Neo4j: one transaction; content hashes so unchanged nodes are left alone;
//! `UNWIND $rows` upserts; references checked before the relationships are drawn; explicit
//! rollback on any error.

use std::collections::{BTreeMap, HashMap, HashSet};

use neo4rs::{BoltType, Query, Row, Txn};
use serde::Serialize;

use super::cypher::{self, Link};
use super::{get, map_err};
use crate::domain::{fold, search_terms, Batch, EntityKind, NodeId};
use crate::store::shared::{fnv1a_64, licence_key};
use crate::store::{Fate, StoreError, StoreResult, WriteReport};

/// Most rows sent in one `UNWIND`.
const CHUNK: usize = 1_000;

/// Properties of a node or relationship, as sent to the server.
type Props = HashMap<String, BoltType>;

/// One node (or alternative) to write: its id, document, properties, and what it points to.
struct NodeRow {
    id: String,
    doc: String,
    props: Props,
    /// (relationship, other end's id).
    links: Vec<(&'static Link, String)>,
    /// Ids this row refers to (must exist once the batch is written).
    refers: Vec<String>,
}

impl NodeRow {
    fn new<T: Serialize>(id: &str, node: &T) -> StoreResult<Self> {
        let doc = serde_json::to_string(node).map_err(|e| StoreError::Internal(e.to_string()))?;
        let mut props = Props::new();
        props.insert("hash".into(), fnv1a_64(doc.as_bytes()).into());
        props.insert("doc".into(), doc.clone().into());
        Ok(Self {
            id: id.to_owned(),
            doc,
            props,
            links: Vec::new(),
            refers: Vec::new(),
        })
    }

    fn set(&mut self, key: &str, value: impl Into<BoltType>) -> &mut Self {
        self.props.insert(key.to_owned(), value.into());
        self
    }

    fn link(&mut self, link: &'static Link, to: Option<&str>) -> &mut Self {
        if let Some(to) = to {
            self.links.push((link, to.to_owned()));
            self.refers.push(to.to_owned());
        }
        self
    }

    fn refer(&mut self, to: &str) -> &mut Self {
        self.refers.push(to.to_owned());
        self
    }

    fn hash(&self) -> i64 {
        fnv1a_64(self.doc.as_bytes())
    }
}

/// The folded words search matches against (the same text the SQLite store indexes).
fn terms(body: &str) -> Vec<String> {
    search_terms(body, usize::MAX)
}

fn opt<T: ToString>(v: Option<&T>) -> Option<String> {
    v.map(ToString::to_string)
}

/// The rows of each kind of node in the batch, in the order they are written.
fn node_rows(
    batch: &Batch,
    need_labels: &HashMap<String, String>,
) -> StoreResult<Vec<(EntityKind, Vec<NodeRow>)>> {
    let mut out = Vec::new();
    let mut rows = Vec::new();
    for s in &batch.sources {
        let mut r = NodeRow::new(s.id.as_str(), s)?;
        r.set("title", s.title.clone())
            .set("kind", s.kind.as_str())
            .set("licence", opt(s.licence.as_ref()))
            .set("url", opt(s.url.as_ref()))
            .set("published", opt(s.published.as_ref()))
            .set("retired", opt(s.retired.as_ref()));
        rows.push(r);
    }
    out.push((EntityKind::Source, std::mem::take(&mut rows)));
    for n in &batch.needs {
        let name = n.label.get(true).to_owned();
        let body = crate::store::need_search_text(n);
        let mut r = NodeRow::new(n.id.as_str(), n)?;
        r.set("sortKey", fold(&name))
            .set("name", name)
            .set("labelFr", n.label.fr.clone())
            .set("labelEn", n.label.en.clone())
            .set("publiccode", n.publiccode.clone())
            .set("broaderId", opt(n.broader.as_ref()))
            .set("retired", opt(n.retired.as_ref()))
            .set("terms", terms(&body))
            .link(&cypher::BROADER, n.broader.as_ref().map(|b| b.as_str()));
        rows.push(r);
    }
    out.push((EntityKind::Need, std::mem::take(&mut rows)));
    for p in &batch.publishers {
        let mut r = NodeRow::new(p.id.as_str(), p)?;
        r.set("name", p.name.clone())
            .set("kind", p.kind.as_str())
            .set("status", p.status.as_str())
            .set("country", opt(p.country.as_ref()))
            .set("website", opt(p.website.as_ref()));
        rows.push(r);
    }
    out.push((EntityKind::Publisher, std::mem::take(&mut rows)));
    for s in &batch.solutions {
        let licence_ids: Vec<String> = licence_key(s.licence.as_ref().map(|l| l.as_str()))
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        let needs: Vec<String> = s.needs.iter().map(ToString::to_string).collect();
        let mut r = NodeRow::new(s.id.as_str(), s)?;
        r.set("name", s.name.clone())
            .set("sortKey", fold(&s.name))
            .set("kind", s.kind.as_str())
            .set("status", s.status.as_str())
            .set("licence", opt(s.licence.as_ref()))
            .set("licenceIds", licence_ids)
            .set("publisherId", opt(s.publisher.as_ref()))
            .set("needIds", needs.clone())
            .set("website", opt(s.website.as_ref()))
            .set("repository", opt(s.repository.as_ref()))
            .set("wikidata", opt(s.wikidata.as_ref()))
            .set("sill", s.sill.map(i64::from))
            .set(
                "terms",
                terms(&crate::store::solution_search_text(
                    s,
                    &s.needs
                        .iter()
                        .filter_map(|n| need_labels.get(n.as_str()).cloned())
                        .collect::<Vec<_>>(),
                )),
            )
            .link(&cypher::PUBLISHES, s.publisher.as_ref().map(|p| p.as_str()));
        for need in &needs {
            r.link(&cypher::SERVES, Some(need));
        }
        rows.push(r);
    }
    out.push((EntityKind::Solution, std::mem::take(&mut rows)));
    for c in &batch.collectivities {
        let body = crate::store::collectivity_search_text(c);
        let mut r = NodeRow::new(c.id.as_str(), c)?;
        r.set("name", c.name.clone())
            .set("sortKey", fold(&c.name))
            .set("kind", c.kind.as_str())
            .set("country", c.country.as_str())
            .set("insee", opt(c.insee.as_ref()))
            .set("siren", opt(c.siren.as_ref()))
            .set("population", c.population.map(|p| p as i64))
            .set("popKey", c.population.map_or(-1, |p| p as i64))
            .set("department", c.department.clone())
            .set("region", c.region.clone())
            .set("parentId", opt(c.parent.as_ref()))
            .set("terms", terms(&body))
            .link(&cypher::PART_OF, c.parent.as_ref().map(|p| p.as_str()));
        rows.push(r);
    }
    out.push((EntityKind::Collectivity, std::mem::take(&mut rows)));
    for a in &batch.adoptions {
        let replaced: Vec<String> = a.replaced.iter().map(ToString::to_string).collect();
        let mut r = NodeRow::new(a.id.as_str(), a)?;
        r.set("collectivityId", a.collectivity.as_str())
            .set("solutionId", a.solution.as_str())
            .set("needId", a.need.as_str())
            .set("status", a.status.as_str())
            .set("started", opt(a.started.as_ref()))
            .set("ended", opt(a.ended.as_ref()))
            .set(
                "startedKey",
                a.started.map(|d| d.sort_key()).unwrap_or_default(),
            )
            .set("strategy", a.strategy.map(|s| s.as_str()))
            .set("hosting", a.hosting.map(|h| h.as_str()))
            .set("scale", a.scale.map(|s| s as i64))
            .set("replacedIds", replaced.clone())
            .link(&cypher::MADE, Some(a.collectivity.as_str()))
            .link(&cypher::OF, Some(a.solution.as_str()))
            .link(&cypher::FOR, Some(a.need.as_str()));
        for s in &replaced {
            r.link(&cypher::REPLACED, Some(s));
        }
        rows.push(r);
    }
    out.push((EntityKind::Adoption, std::mem::take(&mut rows)));
    for o in &batch.outcomes {
        let mut r = NodeRow::new(o.id.as_str(), o)?;
        r.set("adoptionId", o.adoption.as_str())
            .set("kind", o.kind.as_str())
            .set("date", opt(o.date.as_ref()))
            .set("retired", opt(o.retired.as_ref()))
            .link(&cypher::HAD, Some(o.adoption.as_str()));
        rows.push(r);
    }
    out.push((EntityKind::Outcome, std::mem::take(&mut rows)));
    for c in &batch.contributions {
        let mut r = NodeRow::new(c.id.as_str(), c)?;
        r.set("collectivityId", c.collectivity.as_str())
            .set("solutionId", opt(c.solution.as_ref()))
            .set("kind", c.kind.as_str())
            .set("software", c.software.clone())
            .set("contractor", c.contractor.clone())
            .set("started", opt(c.started.as_ref()))
            .link(&cypher::CONTRIBUTED, Some(c.collectivity.as_str()))
            .link(&cypher::TO, c.solution.as_ref().map(|s| s.as_str()));
        rows.push(r);
    }
    out.push((EntityKind::Contribution, rows));
    Ok(out)
}

fn alternative_rows(batch: &Batch) -> StoreResult<Vec<NodeRow>> {
    batch
        .alternatives
        .iter()
        .map(|a| {
            let mut r = NodeRow::new(a.id.as_str(), a)?;
            r.set("id", a.id.as_str())
                .set("confidence", a.confidence.as_str())
                .set("kind", a.kind.as_str())
                .set("libre", a.libre.as_str())
                .set("proprietary", a.proprietary.as_str())
                .refer(a.libre.as_str())
                .refer(a.proprietary.as_str());
            Ok(r)
        })
        .collect()
}

/// Runs a statement in the transaction and collects its rows.
pub(super) async fn exec(txn: &mut Txn, q: Query) -> StoreResult<Vec<Row>> {
    let mut stream = txn.execute(q).await.map_err(map_err)?;
    let mut rows = Vec::new();
    while let Some(row) = stream.next(txn.handle()).await.map_err(map_err)? {
        rows.push(row);
    }
    Ok(rows)
}

fn map_of(pairs: Vec<(&str, BoltType)>) -> BoltType {
    pairs
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect::<HashMap<String, BoltType>>()
        .into()
}

/// The content hashes of the nodes (or alternatives) with these ids that exist.
async fn existing_hashes(
    txn: &mut Txn,
    statement: &str,
    ids: Vec<String>,
) -> StoreResult<HashMap<String, i64>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        for row in exec(txn, neo4rs::query(statement).param("ids", chunk.to_vec())).await? {
            out.insert(get::<String>(&row, "id")?, get::<i64>(&row, "hash")?);
        }
    }
    Ok(out)
}

/// The label text of each need the batch's solutions serve: the batch's own needs, else the
/// store's (solutions are found by what their needs are called).
async fn need_labels(txn: &mut Txn, batch: &Batch) -> StoreResult<HashMap<String, String>> {
    let mut out: HashMap<String, String> = batch
        .needs
        .iter()
        .map(|n| (n.id.to_string(), crate::store::need_label_text(n)))
        .collect();
    let missing: Vec<String> = batch
        .solutions
        .iter()
        .flat_map(|s| s.needs.iter().map(ToString::to_string))
        .filter(|id| !out.contains_key(id))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    for chunk in missing.chunks(CHUNK) {
        let q = neo4rs::query(cypher::NEED_DOCS).param("ids", chunk.to_vec());
        for row in exec(txn, q).await? {
            let doc = get::<String>(&row, "doc")?;
            let need: crate::domain::Need = serde_json::from_str(&doc)
                .map_err(|e| StoreError::Corrupt(format!("a stored need does not parse: {e}")))?;
            out.insert(need.id.to_string(), crate::store::need_label_text(&need));
        }
    }
    Ok(out)
}

/// Splits rows into their fates, counting them; returns the rows that must be written.
fn sort_by_fate(
    report: &mut WriteReport,
    kind: EntityKind,
    rows: Vec<NodeRow>,
    existing: &HashMap<String, i64>,
) -> Vec<NodeRow> {
    let mut changed = Vec::new();
    for row in rows {
        let fate = match existing.get(&row.id) {
            None => Fate::Created,
            Some(h) if *h == row.hash() => Fate::Unchanged,
            Some(_) => Fate::Updated,
        };
        report.count(kind.prefix(), fate);
        if fate != Fate::Unchanged {
            changed.push(row);
        }
    }
    changed
}

async fn upsert_nodes(txn: &mut Txn, label: &'static str, rows: &[NodeRow]) -> StoreResult<()> {
    let statement = cypher::for_label(cypher::UPSERT_NODES, label);
    for chunk in rows.chunks(CHUNK) {
        let list: Vec<BoltType> = chunk
            .iter()
            .map(|r| {
                map_of(vec![
                    ("id", r.id.clone().into()),
                    ("props", r.props.clone().into()),
                ])
            })
            .collect();
        exec(txn, neo4rs::query(&statement).param("rows", list)).await?;
    }
    Ok(())
}

async fn upsert_alternatives(txn: &mut Txn, rows: &[NodeRow]) -> StoreResult<()> {
    for chunk in rows.chunks(CHUNK) {
        let list: Vec<BoltType> = chunk
            .iter()
            .map(|r| {
                map_of(vec![
                    ("libre", r.props["libre"].clone()),
                    ("proprietary", r.props["proprietary"].clone()),
                    ("props", r.props.clone().into()),
                ])
            })
            .collect();
        exec(
            txn,
            neo4rs::query(cypher::UPSERT_ALTERNATIVES).param("rows", list),
        )
        .await?;
    }
    Ok(())
}

/// Redraws the relationships owned by changed nodes.
async fn redraw_links(txn: &mut Txn, rows: &[NodeRow]) -> StoreResult<()> {
    let mut by_link: BTreeMap<&'static str, (&'static Link, Vec<BoltType>)> = BTreeMap::new();
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    for row in rows {
        for (link, to) in &row.links {
            by_link
                .entry(link.name)
                .or_insert_with(|| (link, Vec::new()))
                .1
                .push(map_of(vec![
                    ("from", row.id.clone().into()),
                    ("to", to.clone().into()),
                ]));
        }
    }
    // Relationships a node no longer has are removed too: delete every type the kind owns.
    for link in owned_links_of(rows) {
        for chunk in ids.chunks(CHUNK) {
            exec(
                txn,
                neo4rs::query(&link.delete()).param("ids", chunk.to_vec()),
            )
            .await?;
        }
    }
    for (_, (link, list)) in by_link {
        for chunk in list.chunks(CHUNK) {
            exec(
                txn,
                neo4rs::query(&link.create()).param("rows", chunk.to_vec()),
            )
            .await?;
        }
    }
    Ok(())
}

/// The relationship types owned by the kind of these rows.
fn owned_links_of(rows: &[NodeRow]) -> &'static [&'static Link] {
    let Some(first) = rows.first() else {
        return &[];
    };
    match NodeId::parse(&first.id).map(|id| id.kind()) {
        Ok(EntityKind::Need) => &[&cypher::BROADER],
        Ok(EntityKind::Solution) => &[&cypher::SERVES, &cypher::PUBLISHES],
        Ok(EntityKind::Collectivity) => &[&cypher::PART_OF],
        Ok(EntityKind::Adoption) => &[&cypher::MADE, &cypher::OF, &cypher::FOR, &cypher::REPLACED],
        Ok(EntityKind::Outcome) => &[&cypher::HAD],
        Ok(EntityKind::Contribution) => &[&cypher::CONTRIBUTED, &cypher::TO],
        _ => &[],
    }
}

/// The ids, among these, that name nothing in the store (as seen inside the transaction).
async fn missing_in(txn: &mut Txn, ids: Vec<String>) -> StoreResult<HashSet<String>> {
    let mut by_kind: BTreeMap<EntityKind, Vec<String>> = BTreeMap::new();
    let mut missing = HashSet::new();
    for id in ids {
        match NodeId::parse(&id) {
            Ok(node) => by_kind.entry(node.kind()).or_default().push(id),
            Err(_) => {
                missing.insert(id);
            }
        }
    }
    for (kind, ids) in by_kind {
        let statement = match cypher::label(kind) {
            Some(label) => cypher::for_label(cypher::MISSING_IDS, label),
            None => cypher::MISSING_ALTERNATIVES.to_owned(),
        };
        for chunk in ids.chunks(CHUNK) {
            for row in exec(txn, neo4rs::query(&statement).param("ids", chunk.to_vec())).await? {
                missing.insert(get::<String>(&row, "id")?);
            }
        }
    }
    Ok(missing)
}

/// Fails when a written row, or a citation, refers to a node that does not exist.
async fn check_references(txn: &mut Txn, written: &[&NodeRow], batch: &Batch) -> StoreResult<()> {
    let mut wanted: Vec<String> = written
        .iter()
        .flat_map(|r| r.refers.iter().cloned())
        .chain(
            batch
                .citations
                .iter()
                .flat_map(|c| [c.subject.to_string(), c.source.to_string()]),
        )
        .collect();
    // Nodes of the batch exist once it is written (alternatives are drawn after this check).
    let defined: HashSet<&str> = batch.node_ids().collect();
    wanted.retain(|id| !defined.contains(id.as_str()));
    wanted.sort();
    wanted.dedup();
    let missing = missing_in(txn, wanted).await?;
    if missing.is_empty() {
        return Ok(());
    }
    for row in written {
        if let Some(to) = row.refers.iter().find(|to| missing.contains(*to)) {
            return Err(StoreError::MissingReference(format!(
                "{} refers to {to}, a node that does not exist ({} broken reference{} in all)",
                row.id,
                missing.len(),
                if missing.len() == 1 { "" } else { "s" }
            )));
        }
    }
    for c in &batch.citations {
        if missing.contains(c.subject.as_str()) {
            return Err(StoreError::MissingReference(format!(
                "a citation of {} names a node that does not exist",
                c.subject
            )));
        }
        if missing.contains(c.source.as_str()) {
            return Err(StoreError::MissingReference(format!(
                "{} cites {}, a source that does not exist",
                c.subject, c.source
            )));
        }
    }
    Ok(())
}

/// Writes the batch's citations; returns how many were new and how many already there.
async fn write_citations(
    txn: &mut Txn,
    batch: &Batch,
    report: &mut WriteReport,
) -> StoreResult<()> {
    type Pair = (String, String);
    let mut by_kind: BTreeMap<EntityKind, Vec<(Pair, Option<String>)>> = BTreeMap::new();
    let mut seen = HashSet::new();
    for c in &batch.citations {
        let pair = (c.subject.to_string(), c.source.to_string());
        if seen.insert(pair.clone()) {
            by_kind
                .entry(c.subject.kind())
                .or_default()
                .push((pair, c.locator.clone()));
        } else {
            report.count("citation", Fate::Unchanged);
        }
    }
    let row_of = |((s, t), locator): &(Pair, Option<String>)| {
        map_of(vec![
            ("subject", s.clone().into()),
            ("source", t.clone().into()),
            ("locator", locator.clone().into()),
        ])
    };
    for (kind, pairs) in by_kind {
        let (existing_q, create_q) = match cypher::label(kind) {
            Some(label) => (
                cypher::for_label(cypher::EXISTING_CITATIONS, label),
                cypher::for_label(cypher::CREATE_CITATIONS, label),
            ),
            None => (
                cypher::EXISTING_ALTERNATIVE_CITATIONS.to_owned(),
                cypher::ADD_ALTERNATIVE_CITATIONS.to_owned(),
            ),
        };
        for chunk in pairs.chunks(CHUNK) {
            let rows: Vec<BoltType> = chunk.iter().map(row_of).collect();
            let mut existing: HashMap<Pair, Option<String>> = HashMap::new();
            for row in exec(txn, neo4rs::query(&existing_q).param("rows", rows)).await? {
                existing.insert(
                    (
                        get::<String>(&row, "subject")?,
                        get::<String>(&row, "source")?,
                    ),
                    row.get::<Option<String>>("locator").ok().flatten(),
                );
            }
            // As in the embedded store: a citation without a locator never erases a known one.
            let mut to_write: Vec<BoltType> = Vec::new();
            for item in chunk {
                let fate = match existing.get(&item.0) {
                    None => Fate::Created,
                    Some(old) if item.1.is_none() || *old == item.1 => Fate::Unchanged,
                    Some(_) if cypher::label(kind).is_none() => Fate::Unchanged,
                    Some(_) => Fate::Updated,
                };
                if fate != Fate::Unchanged {
                    to_write.push(row_of(item));
                }
                report.count("citation", fate);
            }
            if !to_write.is_empty() {
                exec(txn, neo4rs::query(&create_q).param("rows", to_write)).await?;
            }
        }
    }
    Ok(())
}

/// Stores the batch's endoflife.date product cycles, reporting them as `product_cycle`.
async fn write_product_cycles(
    txn: &mut Txn,
    batch: &Batch,
    report: &mut WriteReport,
) -> StoreResult<()> {
    let ids: Vec<String> = batch.releases.iter().map(|r| r.id.clone()).collect();
    let existing = existing_hashes(
        txn,
        &cypher::for_label(cypher::HASHES_BY_ID, "ProductCycle"),
        ids,
    )
    .await?;
    let mut rows = Vec::new();
    for r in &batch.releases {
        let doc = serde_json::to_string(r).map_err(|e| StoreError::Internal(e.to_string()))?;
        let hash = fnv1a_64(doc.as_bytes());
        let fate = match existing.get(&r.id) {
            None => Fate::Created,
            Some(h) if *h == hash => Fate::Unchanged,
            Some(_) => Fate::Updated,
        };
        report.count("product_cycle", fate);
        if fate != Fate::Unchanged {
            rows.push(map_of(vec![
                ("id", r.id.clone().into()),
                ("doc", doc.into()),
                ("hash", hash.into()),
                (
                    "solution",
                    r.solution.as_ref().map(|s| s.to_string()).into(),
                ),
            ]));
        }
    }
    for chunk in rows.chunks(CHUNK) {
        exec(
            txn,
            neo4rs::query(cypher::UPSERT_PRODUCT_CYCLES).param("rows", chunk.to_vec()),
        )
        .await?;
    }
    Ok(())
}

/// Everything the transaction does; the caller commits or rolls back.
pub(super) async fn write_in(txn: &mut Txn, batch: &Batch) -> StoreResult<WriteReport> {
    let mut report = WriteReport::default();
    let mut changed: Vec<(EntityKind, Vec<NodeRow>)> = Vec::new();
    let labels = need_labels(txn, batch).await?;
    for (kind, rows) in node_rows(batch, &labels)? {
        let label = cypher::label(kind).expect("node kinds have labels");
        let ids = rows.iter().map(|r| r.id.clone()).collect();
        let existing =
            existing_hashes(txn, &cypher::for_label(cypher::HASHES_BY_ID, label), ids).await?;
        let rows = sort_by_fate(&mut report, kind, rows, &existing);
        upsert_nodes(txn, label, &rows).await?;
        changed.push((kind, rows));
    }
    let alternatives = alternative_rows(batch)?;
    let ids = alternatives.iter().map(|r| r.id.clone()).collect();
    let existing = existing_hashes(txn, cypher::ALTERNATIVE_HASHES, ids).await?;
    let alternatives = sort_by_fate(
        &mut report,
        EntityKind::Alternative,
        alternatives,
        &existing,
    );

    let written: Vec<&NodeRow> = changed
        .iter()
        .flat_map(|(_, rows)| rows.iter())
        .chain(alternatives.iter())
        .collect();
    check_references(txn, &written, batch).await?;

    for (_, rows) in &changed {
        redraw_links(txn, rows).await?;
    }
    upsert_alternatives(txn, &alternatives).await?;
    write_citations(txn, batch, &mut report).await?;
    write_product_cycles(txn, batch, &mut report).await?;
    if !report.is_no_op() {
        exec(txn, neo4rs::query(cypher::BUMP_REVISION)).await?;
    }
    Ok(report)
}
