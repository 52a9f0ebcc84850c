-- SQLite: the migrator appends STRICT only to tables in the common file, so it is written here.
-- AUTOINCREMENT keeps seq from reusing the number of a deleted last row.
CREATE TABLE outbox_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id TEXT NOT NULL,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    aggregate_type TEXT NOT NULL,
    aggregate_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at_us INTEGER NOT NULL,
    cursor INTEGER UNIQUE,
    published_at_us INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    CHECK (cursor IS NULL OR cursor > 0),
    CHECK (published_at_us IS NULL OR cursor IS NOT NULL)
) STRICT;
CREATE INDEX outbox_events_tenant_cursor ON outbox_events (tenant_id, cursor);
CREATE INDEX outbox_events_unsequenced ON outbox_events (seq) WHERE cursor IS NULL;
CREATE INDEX outbox_events_unpublished ON outbox_events (cursor)
    WHERE cursor IS NOT NULL AND published_at_us IS NULL;
