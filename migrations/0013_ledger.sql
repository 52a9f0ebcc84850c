-- The double-entry ledger (src/domains/ledger), modelled on TigerBeetle's: accounts carry their
-- pending and posted debits and credits; transfers are immutable, each debits one account and
-- credits another of the same currency by a positive amount, so every transfer balances on its
-- own and Σ debits = Σ credits over the whole ledger by construction (omc admin ledger verify
-- checks it, and that every account equals the sum of its transfers).

-- The tenant's chart of accounts: one row per chart code (copied from the built-in Ghana OMC
-- template on first use, editable per tenant). Posting accounts hang below a chart code with
-- optional dimensions (station, product, party).
CREATE TABLE ledger_chart (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    -- which dimensions a posting account under this code carries: any of station, product,
    -- party, written as "station,product" (empty: none)
    dimensions TEXT NOT NULL,
    flags BIGINT NOT NULL,
    report_group TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, code),
    CHECK (type IN ('asset', 'liability', 'equity', 'revenue', 'expense'))
);

CREATE TABLE ledger_accounts (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    code TEXT NOT NULL,
    station_id UUID,
    product_id UUID,
    party_id UUID,
    -- code|station|product|party, the one key a posting names an account by
    dimension_key TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    currency TEXT NOT NULL,
    flags BIGINT NOT NULL,
    debits_pending BIGINT NOT NULL,
    debits_posted BIGINT NOT NULL,
    credits_pending BIGINT NOT NULL,
    credits_posted BIGINT NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, dimension_key),
    CHECK (type IN ('asset', 'liability', 'equity', 'revenue', 'expense')),
    CHECK (debits_pending >= 0 AND debits_posted >= 0 AND credits_pending >= 0
           AND credits_posted >= 0)
);
CREATE INDEX ledger_accounts_code ON ledger_accounts (tenant_id, code);

CREATE TABLE ledger_transfers (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    debit_account_id UUID NOT NULL,
    credit_account_id UUID NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    flags BIGINT NOT NULL,
    pending_id UUID,
    timeout_s BIGINT NOT NULL,
    -- the journal entry this transfer is a leg of (linked legs share it), the business fact it
    -- records (kind + source id), and the accounting date it is booked on
    entry_id UUID NOT NULL,
    kind TEXT NOT NULL,
    source_id UUID,
    booked_on TEXT NOT NULL,
    memo TEXT,
    created_at_us BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CHECK (amount > 0),
    CHECK (debit_account_id <> credit_account_id)
);
CREATE INDEX ledger_transfers_debit ON ledger_transfers (tenant_id, debit_account_id, booked_on);
CREATE INDEX ledger_transfers_credit ON ledger_transfers (tenant_id, credit_account_id, booked_on);
CREATE INDEX ledger_transfers_entry ON ledger_transfers (tenant_id, entry_id);
CREATE INDEX ledger_transfers_source ON ledger_transfers (tenant_id, source_id);

-- The state of each two-phase (pending) transfer: the only mutable transfer fact.
CREATE TABLE ledger_pending (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    transfer_id UUID NOT NULL,
    state TEXT NOT NULL,
    expires_at_us BIGINT,
    resolved_by UUID,
    resolved_at_us BIGINT,
    PRIMARY KEY (tenant_id, transfer_id),
    CHECK (state IN ('pending', 'posted', 'voided', 'expired'))
);
CREATE INDEX ledger_pending_expiry ON ledger_pending (expires_at_us) WHERE state = 'pending';

-- Accounting periods (calendar months, "YYYY-MM"). A month with no row is open.
CREATE TABLE ledger_periods (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    period TEXT NOT NULL,
    status TEXT NOT NULL,
    closed_at_us BIGINT,
    closed_by TEXT,
    reopened_reason TEXT,
    PRIMARY KEY (tenant_id, period),
    CHECK (status IN ('open', 'closed'))
);

-- The sales each sale-batch entry posts: per station, the receipt range of one group-commit
-- batch (receipts are gap-free per station, and a batch's stored sales take consecutive
-- numbers). With these, verify proves that every stored sale is in exactly one entry and that
-- the entries add up to the sales.
CREATE TABLE ledger_sale_batches (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    entry_id UUID NOT NULL,
    station_id UUID NOT NULL,
    business_date TEXT NOT NULL,
    first_receipt BIGINT NOT NULL,
    last_receipt BIGINT NOT NULL,
    sales_count BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, station_id, first_receipt),
    CHECK (last_receipt >= first_receipt)
);
