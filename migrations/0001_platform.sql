-- Platform tables: idempotency keys, the transactional outbox, and platform settings.
-- Written in the portable subset described in src/platform/db/migrator.hpp.
-- Timestamps are BIGINT microseconds since the Unix epoch, UTC (suffix _at_us).

CREATE TABLE platform_settings (
    key TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at_us BIGINT NOT NULL
);

CREATE TABLE idempotency_keys (
    tenant_id UUID NOT NULL,
    principal TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
    lease_until_us BIGINT NOT NULL,
    response_status BIGINT,
    response_content_type TEXT,
    response_body TEXT,
    created_at_us BIGINT NOT NULL,
    expires_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, principal, idem_key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at_us);
