-- Payments (finance issue): per-tenant mobile-money provider settings, MoMo payment intents (a
-- sale waiting for the payer's approval) and the daily reconciliation of a provider statement
-- against them. src/domains/payments/README.md describes the invariants.
--
-- Money is pesewas; times are UTC microseconds; dates are "YYYY-MM-DD" text.

-- A tenant's settings for one provider ('mtn', 'telecel', 'at'). The secrets (api_key,
-- subscription_key) are never returned by the API once set. MTN's paths and header names are
-- fixed by its public API; Telecel Cash and AT Money take them from here (their merchant APIs
-- are unconfirmed: GHANA_REFERENCE.md section 7.1), defaulting to the MTN-compatible shape.
CREATE TABLE payment_providers (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    provider TEXT NOT NULL,
    base_url TEXT NOT NULL,
    target_environment TEXT NOT NULL,
    currency TEXT NOT NULL,
    api_user TEXT NOT NULL,
    api_key TEXT NOT NULL,
    subscription_key TEXT NOT NULL,
    callback_base_url TEXT NOT NULL DEFAULT '',
    token_path TEXT NOT NULL,
    request_path TEXT NOT NULL,
    status_path TEXT NOT NULL,
    statement_path TEXT NOT NULL DEFAULT '',
    subscription_header TEXT NOT NULL,
    reference_header TEXT NOT NULL,
    environment_header TEXT NOT NULL,
    callback_header TEXT NOT NULL,
    request_timeout_ms BIGINT NOT NULL,
    payer_timeout_s BIGINT NOT NULL,
    breaker_failures BIGINT NOT NULL,
    breaker_cooldown_ms BIGINT NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    updated_by TEXT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, provider),
    CHECK (provider IN ('mtn', 'telecel', 'at')),
    CHECK (request_timeout_ms > 0 AND payer_timeout_s > 0 AND breaker_failures > 0
           AND breaker_cooldown_ms > 0)
);

-- A MoMo sale waiting for its payer: RequestToPay sent under `reference` (the X-Reference-Id,
-- a UUIDv4, unique across tenants so that a callback finds its intent). The sale is recorded
-- (id sale_id) only once the provider says SUCCESSFUL. status: pending, successful, failed,
-- expired. request_state: sending (not yet acknowledged: the poller re-sends it under the same
-- reference when the provider does not know it), accepted (202), refused (4xx).
-- sale_state: none, recorded, error (SUCCESSFUL but the sale was refused: see sale_error).
CREATE TABLE payment_intents (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    sale_id UUID NOT NULL,
    provider TEXT NOT NULL,
    reference TEXT NOT NULL,
    station_id UUID NOT NULL,
    payer_msisdn TEXT NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    external_id TEXT NOT NULL,
    sale_body TEXT NOT NULL,
    principal TEXT NOT NULL,
    status TEXT NOT NULL,
    request_state TEXT NOT NULL,
    reason TEXT,
    financial_transaction_id TEXT,
    sale_state TEXT NOT NULL DEFAULT 'none',
    sale_error TEXT,
    attempts BIGINT NOT NULL DEFAULT 0,
    callbacks BIGINT NOT NULL DEFAULT 0,
    next_poll_at_us BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    finished_at_us BIGINT,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, sale_id),
    CHECK (amount > 0),
    CHECK (status IN ('pending', 'successful', 'failed', 'expired')),
    CHECK (request_state IN ('sending', 'accepted', 'refused')),
    CHECK (sale_state IN ('none', 'recorded', 'error'))
);
-- The callback route has no token: it finds the intent by its reference alone.
CREATE UNIQUE INDEX payment_intents_reference ON payment_intents (reference);
-- The poller's queue, across tenants: the pending intents by when they are due.
CREATE INDEX payment_intents_due ON payment_intents (status, next_poll_at_us);
CREATE INDEX payment_intents_day ON payment_intents (tenant_id, provider, created_at_us);

-- One reconciliation run of a provider's statement for a day, and every mismatch it found.
CREATE TABLE payment_reconciliations (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    provider TEXT NOT NULL,
    business_date TEXT NOT NULL,
    source TEXT NOT NULL,
    statement_lines BIGINT NOT NULL,
    intents BIGINT NOT NULL,
    matched BIGINT NOT NULL,
    mismatches BIGINT NOT NULL,
    statement_amount BIGINT NOT NULL,
    sales_amount BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CHECK (source IN ('provider', 'upload'))
);
CREATE INDEX payment_reconciliations_day ON payment_reconciliations (tenant_id, business_date);

-- kind: missing_sale (a successful statement line with no recorded sale), missing_statement (a
-- recorded MoMo sale with no statement line), amount_differs, status_differs.
CREATE TABLE payment_reconciliation_items (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    reconciliation_id UUID NOT NULL,
    line_no BIGINT NOT NULL,
    kind TEXT NOT NULL,
    reference TEXT,
    financial_transaction_id TEXT,
    intent_id UUID,
    sale_id UUID,
    statement_amount BIGINT,
    sale_amount BIGINT,
    statement_status TEXT,
    intent_status TEXT,
    detail TEXT NOT NULL,
    PRIMARY KEY (tenant_id, reconciliation_id, line_no),
    CHECK (kind IN ('missing_sale', 'missing_statement', 'amount_differs', 'status_differs'))
);
