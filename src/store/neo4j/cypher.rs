//! Every Cypher statement the Neo4j backend sends, in one place.
//!
//! Values are always bound as parameters (`$ids`, `$rows`...). Labels, relationship types and
//! sort keys cannot be parameters in Cypher, so a few statements are templates whose
//! `__LABEL__`, `__KEY__`... placeholders are filled by [`fill`] from the closed sets below
//! (never from input). Filtered lists share one condition per kind of node, so a page and its
//! count always agree.

use crate::domain::EntityKind;

/// The constraints and indexes, applied at start-up (idempotent).
pub const MIGRATION: &str = include_str!("../../../schema/neo4j/0001_init.cypher");

/// The node label of each kind stored as a node (alternatives are `REPLACES` relationships).
pub fn label(kind: EntityKind) -> Option<&'static str> {
    match kind {
        EntityKind::Need => Some("Need"),
        EntityKind::Solution => Some("Solution"),
        EntityKind::Publisher => Some("Publisher"),
        EntityKind::Collectivity => Some("Collectivity"),
        EntityKind::Adoption => Some("Adoption"),
        EntityKind::Outcome => Some("Outcome"),
        EntityKind::Source => Some("Source"),
        EntityKind::Contribution => Some("Contribution"),
        EntityKind::Alternative => None,
    }
}

/// Fills a template's placeholders with constants.
pub fn fill(template: &'static str, pairs: &[(&str, &'static str)]) -> String {
    pairs
        .iter()
        .fold(template.to_owned(), |q, (from, to)| q.replace(from, to))
}

/// A template with its label filled.
pub fn for_label(template: &'static str, label: &'static str) -> String {
    fill(template, &[("__LABEL__", label)])
}

// ---- Health, meta ------------------------------------------------------------------------

/// Answers when the server does.
pub const PING: &str = "RETURN 1 AS ok";
/// The revision counter.
pub const REVISION: &str = "MATCH (m:StoreMeta {key: 'store'}) RETURN m.revision AS revision";
/// Bumps the revision counter (inside a write transaction).
pub const BUMP_REVISION: &str =
    "MATCH (m:StoreMeta {key: 'store'}) SET m.revision = m.revision + 1 RETURN m.revision AS revision";

/// Deletes up to 5,000 nodes (not the meta node) with their relationships.
pub const CLEAR_SOME: &str =
    "MATCH (n) WHERE NOT n:StoreMeta WITH n LIMIT 5000 DETACH DELETE n RETURN count(*) AS n";
/// Sets the revision back to 0 (after clearing).
pub const RESET_REVISION: &str = "MATCH (m:StoreMeta {key: 'store'}) SET m.revision = 0";

// ---- Nodes by label (templates on __LABEL__) --------------------------------------------

/// Documents of nodes by id.
pub const DOCS_BY_ID: &str = "UNWIND $ids AS id MATCH (n:__LABEL__ {id: id}) RETURN n.doc AS doc";
/// Content hashes of existing nodes by id.
pub const HASHES_BY_ID: &str =
    "UNWIND $ids AS id MATCH (n:__LABEL__ {id: id}) RETURN n.id AS id, n.hash AS hash";
/// The ids, among these, with no node.
pub const MISSING_IDS: &str =
    "UNWIND $ids AS id OPTIONAL MATCH (n:__LABEL__ {id: id}) WITH id, n WHERE n IS NULL RETURN id";
/// Creates or replaces nodes: `row.id` and `row.props` (null properties are removed).
pub const UPSERT_NODES: &str =
    "UNWIND $rows AS row MERGE (n:__LABEL__ {id: row.id}) SET n += row.props RETURN count(n) AS n";
/// Counts nodes.
pub const COUNT_NODES: &str = "MATCH (n:__LABEL__) RETURN count(n) AS n";
/// Every document, by id.
pub const ALL_DOCS: &str = "MATCH (n:__LABEL__) RETURN n.doc AS doc ORDER BY n.id";
/// Citations of nodes of a label: (subject, source).
pub const CITATIONS_OF: &str = "UNWIND $ids AS id MATCH (n:__LABEL__ {id: id})-[c:CITES]->(s:Source) RETURN n.id AS subject, s.id AS source, c.locator AS locator";
/// Every citation of nodes of a label.
pub const ALL_CITATIONS: &str =
    "MATCH (n:__LABEL__)-[c:CITES]->(s:Source) RETURN n.id AS subject, s.id AS source, c.locator AS locator";
/// Existing citations among these rows (`row.subject`, `row.source`).
pub const EXISTING_CITATIONS: &str = "UNWIND $rows AS row MATCH (n:__LABEL__ {id: row.subject})-[c:CITES]->(s:Source {id: row.source}) RETURN n.id AS subject, s.id AS source, c.locator AS locator";
/// Adds citations.
pub const CREATE_CITATIONS: &str = "UNWIND $rows AS row MATCH (n:__LABEL__ {id: row.subject}) MATCH (s:Source {id: row.source}) MERGE (n)-[c:CITES]->(s) SET c.locator = coalesce(row.locator, c.locator) RETURN count(*) AS n";
/// Stores endoflife.date product cycles (`(:ProductCycle)-[:CYCLE_OF]->(:Solution)` when matched).
pub const UPSERT_PRODUCT_CYCLES: &str = "UNWIND $rows AS row MERGE (c:ProductCycle {id: row.id}) SET c.doc = row.doc, c.hash = row.hash, c.solutionId = row.solution WITH c, row OPTIONAL MATCH (c)-[old:CYCLE_OF]->(:Solution) DELETE old WITH c, row MATCH (s:Solution {id: row.solution}) MERGE (c)-[:CYCLE_OF]->(s) RETURN count(*) AS n";
/// Counts citations made by nodes of a label.
pub const COUNT_CITATIONS: &str = "MATCH (:__LABEL__)-[c:CITES]->(:Source) RETURN count(c) AS n";

// ---- Relationships rebuilt from node properties ----------------------------------------

/// Deletes one type of relationship owned by these nodes (template on __PATTERN__).
pub const DELETE_LINKS: &str = "UNWIND $ids AS id MATCH __PATTERN__ DELETE r RETURN count(*) AS n";
/// Creates one type of relationship from `row.from` (the owner) to `row.to` (template on
/// __MATCH__ and __MERGE__).
pub const CREATE_LINKS: &str = "UNWIND $rows AS row __MATCH__ MERGE __MERGE__ RETURN count(*) AS n";

/// A relationship type kept in step with its owner node's document.
pub struct Link {
    /// The relationship type.
    pub name: &'static str,
    /// Matches the relationships `r` owned by the node with id `id`.
    pub owned: &'static str,
    /// Matches the owner `o` (id `row.from`) and the other end `t` (id `row.to`).
    pub ends: &'static str,
    /// The relationship between `o` and `t`, as merged.
    pub merge: &'static str,
}

impl Link {
    /// The statement deleting these relationships of owners `$ids`.
    pub fn delete(&self) -> String {
        fill(DELETE_LINKS, &[("__PATTERN__", self.owned)])
    }

    /// The statement creating these relationships from `$rows` of `{from, to}`.
    pub fn create(&self) -> String {
        fill(
            CREATE_LINKS,
            &[("__MATCH__", self.ends), ("__MERGE__", self.merge)],
        )
    }
}

/// `(:Need)-[:BROADER]->(:Need)`.
pub const BROADER: Link = Link {
    name: "BROADER",
    owned: "(:Need {id: id})-[r:BROADER]->(:Need)",
    ends: "MATCH (o:Need {id: row.from}) MATCH (t:Need {id: row.to})",
    merge: "(o)-[:BROADER]->(t)",
};
/// `(:Solution)-[:SERVES]->(:Need)`.
pub const SERVES: Link = Link {
    name: "SERVES",
    owned: "(:Solution {id: id})-[r:SERVES]->(:Need)",
    ends: "MATCH (o:Solution {id: row.from}) MATCH (t:Need {id: row.to})",
    merge: "(o)-[:SERVES]->(t)",
};
/// `(:Publisher)-[:PUBLISHES]->(:Solution)`.
pub const PUBLISHES: Link = Link {
    name: "PUBLISHES",
    owned: "(:Publisher)-[r:PUBLISHES]->(:Solution {id: id})",
    ends: "MATCH (o:Solution {id: row.from}) MATCH (t:Publisher {id: row.to})",
    merge: "(t)-[:PUBLISHES]->(o)",
};
/// `(:Collectivity)-[:PART_OF]->(:Collectivity)`.
pub const PART_OF: Link = Link {
    name: "PART_OF",
    owned: "(:Collectivity {id: id})-[r:PART_OF]->(:Collectivity)",
    ends: "MATCH (o:Collectivity {id: row.from}) MATCH (t:Collectivity {id: row.to})",
    merge: "(o)-[:PART_OF]->(t)",
};
/// `(:Collectivity)-[:MADE]->(:Adoption)`.
pub const MADE: Link = Link {
    name: "MADE",
    owned: "(:Collectivity)-[r:MADE]->(:Adoption {id: id})",
    ends: "MATCH (o:Adoption {id: row.from}) MATCH (t:Collectivity {id: row.to})",
    merge: "(t)-[:MADE]->(o)",
};
/// `(:Adoption)-[:OF]->(:Solution)`.
pub const OF: Link = Link {
    name: "OF",
    owned: "(:Adoption {id: id})-[r:OF]->(:Solution)",
    ends: "MATCH (o:Adoption {id: row.from}) MATCH (t:Solution {id: row.to})",
    merge: "(o)-[:OF]->(t)",
};
/// `(:Adoption)-[:FOR]->(:Need)`.
pub const FOR: Link = Link {
    name: "FOR",
    owned: "(:Adoption {id: id})-[r:FOR]->(:Need)",
    ends: "MATCH (o:Adoption {id: row.from}) MATCH (t:Need {id: row.to})",
    merge: "(o)-[:FOR]->(t)",
};
/// `(:Adoption)-[:REPLACED]->(:Solution)`: what the adoption replaced.
pub const REPLACED: Link = Link {
    name: "REPLACED",
    owned: "(:Adoption {id: id})-[r:REPLACED]->(:Solution)",
    ends: "MATCH (o:Adoption {id: row.from}) MATCH (t:Solution {id: row.to})",
    merge: "(o)-[:REPLACED]->(t)",
};
/// `(:Adoption)-[:HAD]->(:Outcome)`.
pub const HAD: Link = Link {
    name: "HAD",
    owned: "(:Adoption)-[r:HAD]->(:Outcome {id: id})",
    ends: "MATCH (o:Outcome {id: row.from}) MATCH (t:Adoption {id: row.to})",
    merge: "(t)-[:HAD]->(o)",
};

/// `(:Collectivity)-[:CONTRIBUTED]->(:Contribution)`.
pub const CONTRIBUTED: Link = Link {
    name: "CONTRIBUTED",
    owned: "(:Collectivity)-[r:CONTRIBUTED]->(:Contribution {id: id})",
    ends: "MATCH (o:Contribution {id: row.from}) MATCH (t:Collectivity {id: row.to})",
    merge: "(t)-[:CONTRIBUTED]->(o)",
};
/// `(:Contribution)-[:TO]->(:Solution)`.
pub const TO: Link = Link {
    name: "TO",
    owned: "(:Contribution {id: id})-[r:TO]->(:Solution)",
    ends: "MATCH (o:Contribution {id: row.from}) MATCH (t:Solution {id: row.to})",
    merge: "(o)-[:TO]->(t)",
};

/// The contributions made by collectivities `$collectivities` or to solutions `$solutions`.
pub const CONTRIBUTIONS_FOR: &str = "MATCH (n:Contribution) WHERE n.collectivityId IN $collectivities OR n.solutionId IN $solutions RETURN n.id AS id, n.doc AS doc ORDER BY id";

// ---- Alternatives: (:Solution)-[:REPLACES {id, confidence, kind, doc, hash}]->(:Solution) ----

/// Hashes of existing alternatives.
pub const ALTERNATIVE_HASHES: &str = "UNWIND $ids AS id MATCH (:Solution)-[r:REPLACES {id: id}]->(:Solution) RETURN r.id AS id, r.hash AS hash";
/// The ids, among these, with no alternative.
pub const MISSING_ALTERNATIVES: &str = "UNWIND $ids AS id OPTIONAL MATCH (:Solution)-[r:REPLACES {id: id}]->(:Solution) WITH id, r WHERE r IS NULL RETURN id";
/// Creates or replaces alternatives: `row.libre`, `row.proprietary`, `row.props`.
pub const UPSERT_ALTERNATIVES: &str = "UNWIND $rows AS row MATCH (l:Solution {id: row.libre}) MATCH (p:Solution {id: row.proprietary}) MERGE (l)-[r:REPLACES]->(p) SET r += row.props RETURN count(r) AS n";
/// Alternatives in which these solutions take part.
pub const ALTERNATIVES_OF: &str = "MATCH (l:Solution)-[r:REPLACES]->(p:Solution) WHERE l.id IN $ids OR p.id IN $ids RETURN DISTINCT r.id AS id, r.doc AS doc ORDER BY id";
/// Every alternative.
pub const ALL_ALTERNATIVES: &str =
    "MATCH (:Solution)-[r:REPLACES]->(:Solution) RETURN r.doc AS doc ORDER BY r.id";
/// Counts alternatives.
pub const COUNT_ALTERNATIVES: &str =
    "MATCH (:Solution)-[r:REPLACES]->(:Solution) RETURN count(r) AS n";
/// The locator at position `i` of an alternative's `locs` (`''` and missing entries read as
/// none), shared by the statements below.
macro_rules! alternative_locator {
    () => {
        "CASE WHEN i < size(locs) AND locs[i] <> '' THEN locs[i] ELSE null END AS locator"
    };
}

/// Each citation of the alternative `r`: its source and locator.
macro_rules! alternative_citations {
    () => {
        concat!(
            "WITH r, coalesce(r.sourceIds, []) AS ids, coalesce(r.sourceLocators, []) AS locs ",
            "UNWIND range(0, size(ids) - 1) AS i RETURN r.id AS subject, ids[i] AS source, ",
            alternative_locator!()
        )
    };
}

/// Citations of alternatives, kept on the relationship as two aligned lists: `sourceIds` and
/// `sourceLocators` (`''` for none; missing on relationships written before locators were kept).
pub const ALTERNATIVE_CITATIONS_OF: &str = concat!(
    "UNWIND $ids AS id MATCH (:Solution)-[r:REPLACES {id: id}]->(:Solution) ",
    alternative_citations!()
);
/// Every citation of alternatives.
pub const ALL_ALTERNATIVE_CITATIONS: &str = concat!(
    "MATCH (:Solution)-[r:REPLACES]->(:Solution) ",
    alternative_citations!()
);
/// Existing citations of alternatives among these rows (`row.subject`, `row.source`), with
/// their locators.
pub const EXISTING_ALTERNATIVE_CITATIONS: &str = concat!(
    "UNWIND $rows AS row MATCH (:Solution)-[r:REPLACES {id: row.subject}]->(:Solution) ",
    "WITH row, r, coalesce(r.sourceIds, []) AS ids, coalesce(r.sourceLocators, []) AS locs ",
    "WHERE row.source IN ids ",
    "WITH row, r, locs, [j IN range(0, size(ids) - 1) WHERE ids[j] = row.source][0] AS i ",
    "RETURN r.id AS subject, row.source AS source, ",
    alternative_locator!()
);
/// Adds sources to alternatives: `row.subject`, `row.source`, `row.locator` (the locator
/// list is padded first for relationships written before locators were kept).
pub const ADD_ALTERNATIVE_CITATIONS: &str = "UNWIND $rows AS row MATCH (:Solution)-[r:REPLACES {id: row.subject}]->(:Solution) SET r.sourceLocators = coalesce(r.sourceLocators, []) + [x IN range(size(coalesce(r.sourceLocators, [])), size(coalesce(r.sourceIds, [])) - 1) | ''] + [coalesce(row.locator, '')], r.sourceIds = coalesce(r.sourceIds, []) + [row.source] RETURN count(r) AS n";

// ---- Citations by source ----------------------------------------------------------------

/// How many nodes cite each of these sources.
pub const NODE_CITATION_COUNTS: &str = "UNWIND $ids AS id MATCH (s:Source {id: id})<-[c:CITES]-() RETURN s.id AS source, count(c) AS n";
/// How many alternatives cite each of these sources.
pub const ALTERNATIVE_CITATION_COUNTS: &str = "MATCH (:Solution)-[r:REPLACES]->(:Solution) UNWIND coalesce(r.sourceIds, []) AS source WITH source WHERE source IN $ids RETURN source, count(*) AS n";

// ---- Needs ------------------------------------------------------------------------------

/// A need and every need under it.
pub const NEED_SUBTREE: &str =
    "MATCH (root:Need {id: $id}) MATCH (n:Need)-[:BROADER*0..]->(root) RETURN DISTINCT n.id AS id";
/// Needs directly under these: (broader, document).
pub const NARROWER_NEEDS: &str = "MATCH (n:Need) WHERE n.broaderId IN $ids RETURN n.broaderId AS broader, n.doc AS doc ORDER BY n.sortKey, n.id";

/// A term `t` matching a folded word `w`: its beginning, or the whole word for a term shorter
/// than [`crate::domain::MIN_PREFIX_CHARS`] (3).
macro_rules! term_matches {
    () => {
        "(w = t OR (size(t) >= 3 AND w STARTS WITH t))"
    };
}

/// Text condition on `n`: every term of `$terms` matches one of the node's folded words.
macro_rules! text_condition {
    () => {
        concat!(
            "($terms IS NULL OR all(t IN $terms WHERE any(w IN n.terms WHERE ",
            term_matches!(),
            ")))"
        )
    };
}

/// The outcomes of these adoptions.
pub const OUTCOMES_OF: &str =
    "MATCH (n:Outcome) WHERE n.adoptionId IN $ids RETURN n.id AS id, n.doc AS doc";

/// Conditions of a need filter.
pub const NEED_WHERE: &str = concat!(
    "($broader IS NULL OR n.broaderId = $broader) AND (NOT $topLevel OR n.broaderId IS NULL) ",
    "AND ($includeRetired OR n.retired IS NULL) AND ",
    text_condition!()
);
/// Conditions of a solution filter.
pub const SOLUTION_WHERE: &str = concat!(
    "($kinds IS NULL OR n.kind IN $kinds) AND ($statuses IS NULL OR n.status IN $statuses) ",
    "AND ($needs IS NULL OR any(x IN n.needIds WHERE x IN $needs)) ",
    "AND ($licence IS NULL OR $licence IN n.licenceIds) ",
    "AND ($publisher IS NULL OR n.publisherId = $publisher) AND ",
    text_condition!()
);
/// Conditions of a collectivity filter.
pub const COLLECTIVITY_WHERE: &str = concat!(
    "($kinds IS NULL OR n.kind IN $kinds) AND ($country IS NULL OR n.country = $country) ",
    "AND ($popMin IS NULL OR n.population >= $popMin) AND ($popMax IS NULL OR n.population <= $popMax) ",
    "AND ($parent IS NULL OR n.parentId = $parent) AND ($department IS NULL OR n.department = $department) AND ",
    text_condition!()
);
/// Conditions of an adoption filter.
pub const ADOPTION_WHERE: &str = concat!(
    "($solution IS NULL OR n.solutionId = $solution) AND ($collectivity IS NULL OR n.collectivityId = $collectivity) ",
    "AND ($needs IS NULL OR n.needId IN $needs) AND ($statuses IS NULL OR n.status IN $statuses) ",
    "AND ($outcomeKinds IS NULL OR EXISTS { MATCH (n)-[:HAD]->(o:Outcome) WHERE o.kind IN $outcomeKinds AND o.retired IS NULL })"
);
/// No condition.
pub const ANY: &str = "true";

/// One page of nodes of __LABEL__ matching __WHERE__, ordered by __KEY__ then id in __DIR__
/// order, after the cursor (`$afterKey`, `$afterId`) when given, at most `$limit` rows.
pub const PAGE: &str = "MATCH (n:__LABEL__) WHERE __WHERE__ WITH n, __KEY__ AS key WHERE $afterId IS NULL OR key __CMP__ $afterKey OR (key = $afterKey AND n.id __CMP__ $afterId) RETURN key, n.id AS id, n.doc AS doc ORDER BY key __DIR__, id __DIR__ LIMIT $limit";
/// How many nodes of __LABEL__ match __WHERE__.
pub const PAGE_TOTAL: &str = "MATCH (n:__LABEL__) WHERE __WHERE__ RETURN count(n) AS total";

/// The first `$first` nodes of __LABEL__ for each of `$parents`: __PARENT__ binds what a row
/// needs to belong to `parent`, __BELONGS__ tests it; rows are ordered by the text key __KEY__
/// then id in __DIR__ order. One row per parent with at least one node: `parent`, `total`, and
/// `rows` as `[key, id, doc]` lists.
pub const GROUPED_PAGES: &str = "UNWIND $parents AS parent __PARENT__ MATCH (n:__LABEL__) WHERE __BELONGS__ AND __WHERE__ WITH parent, n, __KEY__ AS key ORDER BY key __DIR__, n.id __DIR__ WITH parent, collect([key, n.id, n.doc]) AS rows RETURN parent, size(rows) AS total, rows[0..$first] AS rows";
/// Binds `set`, the parent need and every need under it.
pub const PARENT_NEED_TREE: &str =
    "MATCH (root:Need {id: parent}) MATCH (m:Need)-[:BROADER*0..]->(root) WITH parent, collect(DISTINCT m.id) AS set";
/// Binds `set`, the parent need alone.
pub const PARENT_NEED: &str = "WITH parent, [parent] AS set";
/// A solution serving a need of `set`.
pub const SERVES_SET: &str = "any(x IN n.needIds WHERE x IN set)";
/// An adoption by the parent collectivity.
pub const BY_COLLECTIVITY: &str = "n.collectivityId = parent";
/// An adoption of the parent solution.
pub const OF_SOLUTION: &str = "n.solutionId = parent";
/// An adoption for the parent need.
pub const FOR_NEED: &str = "n.needId = parent";

// ---- Search -----------------------------------------------------------------------------

/// The documents of these needs (their labels feed the search terms of the solutions serving them).
pub const NEED_DOCS: &str = "MATCH (n:Need) WHERE n.id IN $ids RETURN n.doc AS doc";

/// Nodes of __LABEL__ whose folded words start with every term; `exact` counts the terms that
/// are whole words and `words` the node's words (the score favours both, as BM25 favours
/// short texts).
pub const SEARCH: &str = concat!(
    "MATCH (n:__LABEL__) WHERE n.retired IS NULL AND all(t IN $terms WHERE any(w IN n.terms WHERE ",
    term_matches!(),
    ")) RETURN n.id AS id, n.name AS label, size([t IN $terms WHERE t IN n.terms]) AS exact, size(n.terms) AS words"
);

// ---- Release watch -------------------------------------------------------------------------

/// A watch source's hash and URL.
pub const WATCH_SOURCE_STATE: &str =
    "MATCH (w:WatchSource {id: $id}) RETURN w.hash AS hash, w.url AS url";
/// Creates a watch source of an existing solution (no row when the solution is missing).
pub const CREATE_WATCH_SOURCE: &str = "MATCH (s:Solution {id: $solution}) CREATE (w:WatchSource {id: $id, solutionId: $solution, kind: $kind, url: $url, intervalSecs: $interval, doc: $doc, hash: $hash, nextCheck: '', failures: 0}) CREATE (s)-[:WATCHED_BY]->(w) RETURN w.id AS id";
/// Updates a watch source; a moved URL forgets its validators and makes it due.
pub const UPDATE_WATCH_SOURCE: &str = "MATCH (w:WatchSource {id: $id}) SET w.solutionId = $solution, w.kind = $kind, w.url = $url, w.intervalSecs = $interval, w.doc = $doc, w.hash = $hash, w.etag = CASE WHEN $moved THEN null ELSE w.etag END, w.lastModified = CASE WHEN $moved THEN null ELSE w.lastModified END, w.nextCheck = CASE WHEN $moved THEN '' ELSE w.nextCheck END RETURN w.id AS id";
/// The sources due by `$limit`, most overdue first.
pub const WATCH_SOURCES_DUE: &str = "MATCH (w:WatchSource) WHERE w.nextCheck <= $limit RETURN w.doc AS doc, w.etag AS etag, w.lastModified AS lastModified, w.failures AS failures ORDER BY w.nextCheck, w.id";
/// Stores a release once per (source, version); `created` tells whether it is new.
pub const CREATE_RELEASE: &str = "MATCH (w:WatchSource {id: $source}) OPTIONAL MATCH (old:Release {id: $key}) WITH w, old FOREACH (_ IN CASE WHEN old IS NULL THEN [1] ELSE [] END | CREATE (r:Release {id: $key, sourceId: $source, solutionId: $solution, version: $version, prerelease: $prerelease, published: $published, seenAt: $seen, sortKey: $sortKey, doc: $doc}) CREATE (w)-[:ANNOUNCED]->(r)) RETURN old IS NULL AS created";
/// Stores or refreshes a release cycle.
pub const UPSERT_CYCLE: &str = "MATCH (s:Solution {id: $solution}) MERGE (c:ReleaseCycle {key: $key}) WITH s, c, coalesce(c.doc, '') <> $doc AS changed SET c.solutionId = $solution, c.product = $product, c.cycle = $cycle, c.doc = $doc MERGE (s)-[:HAS_CYCLE]->(c) RETURN changed";
/// Records a poll that fetched content.
pub const POLL_FETCHED: &str = "MATCH (w:WatchSource {id: $id}) SET w.etag = $etag, w.lastModified = $lastModified, w.lastChecked = $now, w.lastSuccess = $now, w.lastError = null, w.nextCheck = $next, w.failures = 0 RETURN w.id AS id";
/// Records a poll answered 304.
pub const POLL_NOT_MODIFIED: &str = "MATCH (w:WatchSource {id: $id}) SET w.lastChecked = $now, w.lastSuccess = $now, w.lastError = null, w.nextCheck = $next, w.failures = 0 RETURN w.id AS id";
/// Records a failed poll.
pub const POLL_FAILED: &str = "MATCH (w:WatchSource {id: $id}) SET w.lastChecked = $now, w.lastError = $error, w.nextCheck = $next, w.failures = $failures RETURN w.id AS id";
/// The condition of release pages (on `n`).
pub const RELEASE_WHERE: &str = "($solutions IS NULL OR n.solutionId IN $solutions) AND ($since IS NULL OR n.sortKey >= $since) AND ($prereleases OR NOT n.prerelease)";
/// The release cycles of solutions `$ids`.
pub const CYCLES_FOR: &str =
    "MATCH (c:ReleaseCycle) WHERE c.solutionId IN $ids RETURN c.doc AS doc";
/// The imported product cycles (endoflife.date's dataset) of some solutions.
pub const PRODUCT_CYCLES_FOR: &str =
    "MATCH (c:ProductCycle) WHERE c.solutionId IN $ids RETURN c.doc AS doc";
/// The newest release date (not pre-releases) of each solution.
pub const LATEST_RELEASES: &str = "MATCH (r:Release) WHERE r.prerelease = false RETURN r.solutionId AS solution, max(r.sortKey) AS date ORDER BY solution";
/// Every source's state, by id.
pub const WATCH_STATUS: &str = "MATCH (w:WatchSource) OPTIONAL MATCH (w)-[:ANNOUNCED]->(r:Release) WITH w, count(r) AS releases RETURN w.doc AS doc, w.lastChecked AS lastChecked, w.lastSuccess AS lastSuccess, w.lastError AS lastError, w.nextCheck AS nextCheck, w.failures AS failures, releases ORDER BY w.id";

// ---- Access and history --------------------------------------------------------------------

/// Stores a token under its hash.
pub const CREATE_TOKEN: &str = "CREATE (t:Token {id: $id, hash: $hash, collectivityId: $collectivity, doc: $doc, createdAt: $created})";
/// The token with a hash.
pub const TOKEN_BY_HASH: &str = "MATCH (t:Token {hash: $hash}) RETURN t.doc AS doc";
/// The token with an id.
pub const TOKEN_BY_ID: &str = "MATCH (t:Token {id: $id}) RETURN t.doc AS doc";
/// Every token, oldest first.
pub const ALL_TOKENS: &str = "MATCH (t:Token) RETURN t.doc AS doc ORDER BY t.createdAt, t.id";
/// Replaces a token's document (revocation).
pub const SET_TOKEN_DOC: &str = "MATCH (t:Token {id: $id}) SET t.doc = $doc";
/// A node's document and hash (template on __LABEL__).
pub const DOC_AND_HASH: &str = "MATCH (n:__LABEL__ {id: $id}) RETURN n.doc AS doc, n.hash AS hash";
/// An alternative's document and hash.
pub const ALTERNATIVE_DOC_AND_HASH: &str =
    "MATCH (:Solution)-[r:REPLACES {id: $id}]->(:Solution) RETURN r.doc AS doc, r.hash AS hash";
/// A token's use of an idempotency key.
pub const IDEMPOTENCY_KEY: &str = "MATCH (k:IdempotencyKey {tokenId: $token, key: $key}) RETURN k.nodeId AS node, k.version AS version";
/// Records a token's use of an idempotency key.
pub const CREATE_IDEMPOTENCY_KEY: &str = "CREATE (k:IdempotencyKey {tokenId: $token, key: $key, nodeId: $node, version: $version, createdAt: $at})";
/// Takes the store-wide change lock: versioned writes begin with it, so they read committed
/// versions (Neo4j waits for the lock; ArcadeDB fails one of two at commit, then retries).
pub const LOCK_CHANGES: &str = "MATCH (m:StoreMeta {key: 'store'}) SET m.changeLock = coalesce(m.changeLock, 0) + 1 RETURN m.changeLock AS n";
/// Records a change, numbered by the store-wide history sequence.
pub const CREATE_HISTORY_ENTRY: &str = "MATCH (m:StoreMeta {key: 'store'}) SET m.historySeq = coalesce(m.historySeq, 0) + 1 CREATE (h:HistoryEntry {seq: m.historySeq, nodeId: $node, at: $at, authorId: $author, action: $action, before: $before, after: $after, comment: $comment}) RETURN h.seq AS seq";
/// A page of a node's changes, newest first, after the sequence number `$after` when given.
pub const HISTORY_OF: &str = "MATCH (h:HistoryEntry {nodeId: $node}) WHERE $after IS NULL OR h.seq < $after RETURN h.seq AS seq, h.nodeId AS node, h.at AS at, h.authorId AS author, h.action AS action, h.before AS before, h.after AS after, h.comment AS comment ORDER BY h.seq DESC LIMIT $limit";
/// How many changes a node has.
pub const HISTORY_COUNT: &str = "MATCH (h:HistoryEntry {nodeId: $node}) RETURN count(h) AS n";
/// A watch source's document and hash.
pub const WATCH_DOC_AND_HASH: &str =
    "MATCH (w:WatchSource {id: $id}) RETURN w.doc AS doc, w.hash AS hash";

#[cfg(test)]
mod tests {
    #[test]
    fn short_terms_match_whole_words_as_the_domain_says() {
        let rule = format!("size(t) >= {}", crate::domain::MIN_PREFIX_CHARS);
        assert!(super::SEARCH.contains(&rule), "{}", super::SEARCH);
        assert!(text_condition!().contains(&rule));
    }
}
