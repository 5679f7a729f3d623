-- retex embedded store, version 3: release watch.
--
-- Watch sources say where a solution's releases are followed; their poll state (validators,
-- last success and error, next check, failures in a row) lives in the same row. Releases are
-- stored once per (source, version); release cycles (endoflife.date) once per
-- (solution, product, cycle). Times are RFC 3339 UTC text with milliseconds, so text order is
-- time order.

CREATE TABLE watch_sources (
    id            TEXT PRIMARY KEY,
    solution_id   TEXT NOT NULL REFERENCES solutions(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    url           TEXT NOT NULL,
    interval_secs INTEGER NOT NULL,
    doc           TEXT NOT NULL,
    hash          INTEGER NOT NULL,
    etag          TEXT,
    last_modified TEXT,
    last_checked  TEXT,
    last_success  TEXT,
    last_error    TEXT,
    next_check    TEXT NOT NULL DEFAULT '',   -- '' means due now
    failures      INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX watch_sources_due ON watch_sources(next_check, id);
CREATE INDEX watch_sources_solution ON watch_sources(solution_id);

CREATE TABLE releases (
    id          TEXT PRIMARY KEY,             -- '<source id>@<version>'
    source_id   TEXT NOT NULL REFERENCES watch_sources(id) ON DELETE CASCADE,
    solution_id TEXT NOT NULL,
    version     TEXT NOT NULL,
    prerelease  INTEGER NOT NULL,
    published   TEXT,
    seen_at     TEXT NOT NULL,
    sort_key    TEXT NOT NULL,                -- published, else seen_at
    doc         TEXT NOT NULL
) STRICT;
CREATE INDEX releases_sort ON releases(sort_key, id);
CREATE INDEX releases_solution ON releases(solution_id, sort_key);
CREATE INDEX releases_source ON releases(source_id);

CREATE TABLE release_cycles (
    solution_id TEXT NOT NULL REFERENCES solutions(id) ON DELETE CASCADE,
    product     TEXT NOT NULL,
    cycle       TEXT NOT NULL,
    doc         TEXT NOT NULL,
    PRIMARY KEY (solution_id, product, cycle)
) STRICT, WITHOUT ROWID;
