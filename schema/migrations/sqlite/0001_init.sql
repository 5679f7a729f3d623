-- retex embedded store, version 1: the knowledge graph.
--
-- Each node table keeps the node's canonical JSON document (`doc`, the source of truth read by
-- the store) and its content hash (`hash`, so re-writing the same node changes nothing), plus
-- the columns that queries filter and sort on. Relations are foreign keys or link tables.
-- Foreign keys are deferred: a batch may name a node before the node itself, within one
-- transaction.

CREATE TABLE sources (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    licence     TEXT,
    doc         TEXT NOT NULL,
    hash        INTEGER NOT NULL
) STRICT;

CREATE TABLE needs (
    id          TEXT PRIMARY KEY,
    broader_id  TEXT REFERENCES needs(id) DEFERRABLE INITIALLY DEFERRED,
    sort_key    TEXT NOT NULL,
    doc         TEXT NOT NULL,
    hash        INTEGER NOT NULL
) STRICT;
CREATE INDEX needs_broader ON needs(broader_id);

CREATE TABLE publishers (
    id          TEXT PRIMARY KEY,
    status      TEXT NOT NULL,
    doc         TEXT NOT NULL,
    hash        INTEGER NOT NULL
) STRICT;

CREATE TABLE solutions (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    status       TEXT NOT NULL,
    licence_key  TEXT NOT NULL,  -- ' ID1 ID2 ' upper-case SPDX ids of the expression, for filtering
    publisher_id TEXT REFERENCES publishers(id) DEFERRABLE INITIALLY DEFERRED,
    sort_key     TEXT NOT NULL,  -- folded name
    doc          TEXT NOT NULL,
    hash         INTEGER NOT NULL
) STRICT;
CREATE INDEX solutions_sort ON solutions(sort_key, id);
CREATE INDEX solutions_publisher ON solutions(publisher_id);

CREATE TABLE solution_needs (
    solution_id TEXT NOT NULL REFERENCES solutions(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    need_id     TEXT NOT NULL REFERENCES needs(id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (solution_id, need_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX solution_needs_need ON solution_needs(need_id, solution_id);

CREATE TABLE alternatives (
    id             TEXT PRIMARY KEY,
    libre_id       TEXT NOT NULL REFERENCES solutions(id) DEFERRABLE INITIALLY DEFERRED,
    proprietary_id TEXT NOT NULL REFERENCES solutions(id) DEFERRABLE INITIALLY DEFERRED,
    doc            TEXT NOT NULL,
    hash           INTEGER NOT NULL,
    UNIQUE (libre_id, proprietary_id)
) STRICT;
CREATE INDEX alternatives_proprietary ON alternatives(proprietary_id);

CREATE TABLE collectivities (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    country     TEXT NOT NULL,
    population  INTEGER,
    department  TEXT,
    parent_id   TEXT REFERENCES collectivities(id) DEFERRABLE INITIALLY DEFERRED,
    sort_key    TEXT NOT NULL,
    doc         TEXT NOT NULL,
    hash        INTEGER NOT NULL
) STRICT;
CREATE INDEX collectivities_sort ON collectivities(sort_key, id);
CREATE INDEX collectivities_population ON collectivities(population, id);
CREATE INDEX collectivities_parent ON collectivities(parent_id);

CREATE TABLE adoptions (
    id              TEXT PRIMARY KEY,
    collectivity_id TEXT NOT NULL REFERENCES collectivities(id) DEFERRABLE INITIALLY DEFERRED,
    solution_id     TEXT NOT NULL REFERENCES solutions(id) DEFERRABLE INITIALLY DEFERRED,
    need_id         TEXT NOT NULL REFERENCES needs(id) DEFERRABLE INITIALLY DEFERRED,
    status          TEXT NOT NULL,
    started_key     TEXT NOT NULL,  -- sortable start date, '' when unknown
    doc             TEXT NOT NULL,
    hash            INTEGER NOT NULL
) STRICT;
CREATE INDEX adoptions_collectivity ON adoptions(collectivity_id, id);
CREATE INDEX adoptions_solution ON adoptions(solution_id, id);
CREATE INDEX adoptions_need ON adoptions(need_id, id);

CREATE TABLE adoption_replaced (
    adoption_id TEXT NOT NULL REFERENCES adoptions(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    solution_id TEXT NOT NULL REFERENCES solutions(id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (adoption_id, solution_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX adoption_replaced_solution ON adoption_replaced(solution_id);

CREATE TABLE outcomes (
    id          TEXT PRIMARY KEY,
    adoption_id TEXT NOT NULL REFERENCES adoptions(id) DEFERRABLE INITIALLY DEFERRED,
    kind        TEXT NOT NULL,
    doc         TEXT NOT NULL,
    hash        INTEGER NOT NULL
) STRICT;
CREATE INDEX outcomes_adoption ON outcomes(adoption_id, kind);

-- Which source supports which node; subjects are ids of any kind.
CREATE TABLE citations (
    subject_id TEXT NOT NULL,
    source_id  TEXT NOT NULL REFERENCES sources(id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (subject_id, source_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX citations_source ON citations(source_id);

-- Accent- and case-insensitive full-text search over needs, solutions and collectivities.
-- search_docs gives each indexed node the rowid of its full-text row, so a node's row is
-- replaced by rowid rather than found by scanning.
CREATE TABLE search_docs (
    rowid     INTEGER PRIMARY KEY,
    entity_id TEXT NOT NULL UNIQUE
) STRICT;
CREATE VIRTUAL TABLE search_index USING fts5(
    entity_id UNINDEXED,
    kind UNINDEXED,
    label UNINDEXED,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Store-wide counters: `revision` grows with every write that changes something, so caches of
-- derived data (peer indexes, exports) know when they are stale.
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) STRICT;
INSERT INTO store_meta (key, value) VALUES ('revision', 0);
