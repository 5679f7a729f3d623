-- retex embedded store, version 2: provenance and release cycles.
--
-- `citations.locator` says where in the cited source a fact is: a dataset file and record
-- (`sill-api-2022-03/software.csv#ID=67`), NULL when unknown (the curated seed).
--
-- `product_cycles` holds the release cycles of products from endoflife.date (one row per
-- product and cycle, id `release:<product>--<cycle>`), linked to a solution when one matches.
-- Like the node tables, the canonical JSON document is the source of truth.

ALTER TABLE citations ADD COLUMN locator TEXT;

CREATE TABLE product_cycles (
    id          TEXT PRIMARY KEY,
    solution_id TEXT REFERENCES solutions(id) DEFERRABLE INITIALLY DEFERRED,
    doc         TEXT NOT NULL,
    hash        INTEGER NOT NULL
) STRICT;
CREATE INDEX product_cycles_solution ON product_cycles(solution_id, id);
