-- retex embedded store, version 5: write tokens, the history of changes, idempotency keys.

-- Tokens: only the keyed hash (HMAC-SHA256 under RETEX_TOKEN_SECRET) of the plaintext is kept.
CREATE TABLE tokens (
    id              TEXT PRIMARY KEY,
    hash            TEXT NOT NULL UNIQUE,
    collectivity_id TEXT,
    doc             TEXT NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;

-- Every change made through the API: who (token id), when, what before and after, and why.
CREATE TABLE history (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    node_id   TEXT NOT NULL,
    at        TEXT NOT NULL,
    author_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    before    TEXT,
    after     TEXT,
    comment   TEXT
) STRICT;
CREATE INDEX history_node ON history(node_id, seq);
CREATE INDEX history_author ON history(author_id, seq);

-- Idempotency keys of creations, scoped to the token that sent them.
CREATE TABLE idempotency_keys (
    token_id   TEXT NOT NULL,
    key        TEXT NOT NULL,
    node_id    TEXT NOT NULL,
    version    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (token_id, key)
) STRICT;
