-- Webhooks (finance issue, "Webhooks"): tenant endpoints subscribed to outbox event types, their
-- signing secrets (sealed), the per-tenant position of the dispatcher in the outbox, and the
-- delivery log: one delivery per (endpoint, event) and every attempt made to send it.
-- src/domains/webhooks/README.md describes the invariants. Times are UTC microseconds.

-- An endpoint. `event_types` is the subscription as JSON text: an array of exact event type
-- names, or ["*"] for every type. A disabled endpoint gets no new deliveries and its pending ones
-- wait (held); `disabled_reason` says why ("disabled: endpoint answered 410 Gone"). A deleted
-- endpoint is kept for its delivery log but is gone from the API.
CREATE TABLE webhook_endpoints (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    url TEXT NOT NULL,
    description TEXT,
    event_types TEXT NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    disabled_reason TEXT,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    deleted_at_us BIGINT,
    PRIMARY KEY (tenant_id, id)
);

-- An endpoint's signing secrets, sealed (libsodium secretbox; the key is `webhooks.secret_key`
-- or one generated into platform_settings). Active: expires_at_us NULL or in the future. The
-- primary is the newest; after a rotation the previous one stays active until its expiry, so at
-- most two are active at once.
CREATE TABLE webhook_secrets (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    endpoint_id UUID NOT NULL,
    sealed TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    expires_at_us BIGINT,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX webhook_secrets_endpoint ON webhook_secrets (tenant_id, endpoint_id);

-- How far the dispatcher has fanned out each tenant's outbox (outbox_events.cursor).
CREATE TABLE webhook_cursors (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    last_cursor BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id),
    CHECK (last_cursor >= 0)
);

-- One event to one endpoint. `body` is the exact JSON sent (and signed) on every attempt;
-- `event_id` is the webhook-id header, stable across retries and redeliveries. status: pending
-- (to be sent at next_attempt_at_us), delivered (a 2xx), failed (dead-lettered: no 2xx within
-- the retry window, or the endpoint was deleted). A claim (lease_until_us) keeps other
-- dispatchers off a delivery while one sends it.
CREATE TABLE webhook_deliveries (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    endpoint_id UUID NOT NULL,
    event_id UUID NOT NULL,
    event_type TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    first_attempt_at_us BIGINT,
    next_attempt_at_us BIGINT NOT NULL,
    last_attempt_at_us BIGINT,
    last_status_code BIGINT,
    last_error TEXT,
    delivered_at_us BIGINT,
    held_reason TEXT,
    lease_until_us BIGINT,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, endpoint_id, event_id),
    CHECK (status IN ('pending', 'delivered', 'failed')),
    CHECK (attempts >= 0)
);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (tenant_id, endpoint_id, id);
-- The dispatcher's queue, across tenants.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at_us)
    WHERE status = 'pending';

-- Every attempt: when, the answer's status (NULL: no answer), how long it took, the error, and
-- the first 1 KiB of the answer's body.
CREATE TABLE webhook_attempts (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    delivery_id UUID NOT NULL,
    attempt BIGINT NOT NULL,
    attempted_at_us BIGINT NOT NULL,
    status_code BIGINT,
    duration_us BIGINT NOT NULL,
    error TEXT,
    response_body TEXT,
    PRIMARY KEY (tenant_id, delivery_id, attempt),
    CHECK (attempt >= 1)
);
