-- The tamper-evident audit log (src/platform/audit/README.md). Every successful mutating request,
-- and every domain action that records itself, appends one row in the same transaction as its
-- effect. Rows form one hash chain per tenant: seq 1, 2, 3, ... with
-- hash = SHA-256(canonical serialisation of the row, including prev_hash), so editing, removing or
-- reordering a row breaks the chain at that row (`omc admin audit verify`).
--
-- Append-only: triggers in the dialect files refuse UPDATE and DELETE on audit_log.
-- Timestamps are BIGINT microseconds since the Unix epoch, UTC.

CREATE TABLE audit_log (
    tenant_id UUID NOT NULL,
    seq BIGINT NOT NULL CHECK (seq > 0),
    id UUID NOT NULL UNIQUE,
    at_us BIGINT NOT NULL,
    actor_type TEXT CHECK (actor_type IN ('user', 'api_key', 'system')),
    actor_id TEXT,
    role TEXT,
    action TEXT NOT NULL,
    entity_type TEXT,
    entity_id TEXT,
    summary TEXT NOT NULL,
    request_id TEXT,
    client_address TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
-- The filters of GET /api/v1/audit, each ending in seq for the newest-first keyset pages. The
-- primary key (tenant_id, seq) serves the unfiltered list and the verifier's walk.
CREATE INDEX audit_log_actor ON audit_log (tenant_id, actor_id, seq);
CREATE INDEX audit_log_entity ON audit_log (tenant_id, entity_type, entity_id, seq);
CREATE INDEX audit_log_action ON audit_log (tenant_id, action, seq);
CREATE INDEX audit_log_at ON audit_log (tenant_id, at_us);

-- One row per tenant with a chain: the last seq and hash. Appending updates it first, so the
-- row lock serialises concurrent appenders of one tenant (PostgreSQL; SQLite has one writer)
-- and the previous hash is one primary-key read away. The verifier checks it against the last
-- record, which catches a removed tail.
CREATE TABLE audit_chain_heads (
    tenant_id UUID NOT NULL PRIMARY KEY,
    last_seq BIGINT NOT NULL CHECK (last_seq >= 0),
    last_hash TEXT NOT NULL
);
