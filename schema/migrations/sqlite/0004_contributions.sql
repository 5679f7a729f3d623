-- retex embedded store, version 4: public bodies giving back to libre software.

CREATE TABLE contributions (
    id              TEXT PRIMARY KEY,
    collectivity_id TEXT NOT NULL REFERENCES collectivities(id) DEFERRABLE INITIALLY DEFERRED,
    solution_id     TEXT REFERENCES solutions(id) DEFERRABLE INITIALLY DEFERRED,
    kind            TEXT NOT NULL,
    doc             TEXT NOT NULL,
    hash            INTEGER NOT NULL
) STRICT;
CREATE INDEX contributions_collectivity ON contributions(collectivity_id, id);
CREATE INDEX contributions_solution ON contributions(solution_id, id);
