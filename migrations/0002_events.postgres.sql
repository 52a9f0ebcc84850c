CREATE TABLE outbox_events (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id UUID NOT NULL,
    id UUID NOT NULL UNIQUE,
    type TEXT NOT NULL,
    aggregate_type TEXT NOT NULL,
    aggregate_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    cursor BIGINT UNIQUE,
    published_at_us BIGINT,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    CHECK (cursor IS NULL OR cursor > 0),
    CHECK (published_at_us IS NULL OR cursor IS NOT NULL)
);
-- Pull consumers: one tenant's events after a cursor.
CREATE INDEX outbox_events_tenant_cursor ON outbox_events (tenant_id, cursor);
-- The relay spans tenants, so these two lead with its own keys instead of tenant_id.
-- Rows still waiting for a cursor, in insertion order.
CREATE INDEX outbox_events_unsequenced ON outbox_events (seq) WHERE cursor IS NULL;
-- Rows sequenced but not yet acknowledged by JetStream, in cursor order.
CREATE INDEX outbox_events_unpublished ON outbox_events (cursor)
    WHERE cursor IS NOT NULL AND published_at_us IS NULL;

-- Row-level security, the same policy as 0001_platform.postgres.sql: a request transaction sees
-- only its tenant's events; the relay runs with app.system = 'on'.
ALTER TABLE outbox_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbox_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outbox_events
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
           OR current_setting('app.system', true) = 'on')
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
                OR current_setting('app.system', true) = 'on');
