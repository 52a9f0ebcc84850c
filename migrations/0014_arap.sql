-- Receivables and payables (src/domains/arap): credit customers (B2B fleet accounts) with their
-- vehicles and drivers, the credit sales charged to them, periodic invoices, customer payments
-- and their allocation; suppliers (BDCs, transporters), purchase orders, supplier invoices
-- matched to orders and deliveries, supplier payments and their allocation. Money in pesewas,
-- quantities in thousandths of a litre, unit prices in 10^-4 pesewa per litre.

CREATE TABLE arap_customers (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    tin TEXT,
    contact_name TEXT,
    phone TEXT,
    email TEXT,
    credit_limit BIGINT NOT NULL,
    payment_terms_days BIGINT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code),
    CHECK (status IN ('active', 'on_hold')),
    CHECK (credit_limit >= 0),
    CHECK (payment_terms_days >= 0)
);

CREATE TABLE arap_vehicles (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    customer_id UUID NOT NULL,
    registration TEXT NOT NULL,
    -- the vehicle's own limit on credit sales per calendar day or month (NULL: none)
    limit_period TEXT,
    limit_amount BIGINT,
    active BOOLEAN NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, customer_id, registration),
    CHECK (limit_period IS NULL OR limit_period IN ('day', 'month')),
    CHECK ((limit_period IS NULL) = (limit_amount IS NULL)),
    CHECK (limit_amount IS NULL OR limit_amount >= 0)
);

CREATE TABLE arap_drivers (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    customer_id UUID NOT NULL,
    name TEXT NOT NULL,
    phone TEXT,
    active BOOLEAN NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- The vehicles a driver may fill (none listed: any vehicle of the account).
CREATE TABLE arap_driver_vehicles (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    driver_id UUID NOT NULL,
    vehicle_id UUID NOT NULL,
    PRIMARY KEY (tenant_id, driver_id, vehicle_id)
);

-- Every sale on account (and its void or refund, negative), recorded by the sales batch in the
-- sale's own transaction: what a vehicle has used of its limit and what an invoice bills.
CREATE TABLE arap_credit_sales (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    sale_id UUID NOT NULL,
    customer_id UUID NOT NULL,
    vehicle_id UUID,
    driver_id UUID,
    station_id UUID NOT NULL,
    amount BIGINT NOT NULL,
    sold_at_us BIGINT NOT NULL,
    reverses_id UUID,
    invoice_id UUID,
    PRIMARY KEY (tenant_id, sale_id)
);
CREATE INDEX arap_credit_sales_customer ON arap_credit_sales (tenant_id, customer_id, sold_at_us);
CREATE INDEX arap_credit_sales_vehicle ON arap_credit_sales (tenant_id, vehicle_id, sold_at_us);

-- Gap-free document numbers per tenant ("invoice"): the row is locked by the transaction that
-- takes a number, so a rolled-back invoice gives its number back.
CREATE TABLE arap_counters (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    name TEXT NOT NULL,
    next_value BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

CREATE TABLE arap_invoices (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    number BIGINT NOT NULL,
    invoice_no TEXT NOT NULL,
    customer_id UUID NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    total BIGINT NOT NULL,
    line_count BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, number)
);
CREATE INDEX arap_invoices_customer ON arap_invoices (tenant_id, customer_id, issued_on);

CREATE TABLE arap_invoice_lines (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    invoice_id UUID NOT NULL,
    line_no BIGINT NOT NULL,
    sale_id UUID NOT NULL,
    station_id UUID NOT NULL,
    vehicle_id UUID,
    driver_id UUID,
    sold_at_us BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, invoice_id, line_no),
    UNIQUE (tenant_id, sale_id)
);

CREATE TABLE arap_customer_payments (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    customer_id UUID NOT NULL,
    method TEXT NOT NULL,
    reference TEXT,
    station_id UUID,
    amount BIGINT NOT NULL,
    received_on TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CHECK (method IN ('cash', 'bank', 'momo', 'cheque')),
    CHECK (amount > 0)
);
CREATE INDEX arap_customer_payments_customer
    ON arap_customer_payments (tenant_id, customer_id, received_on);

CREATE TABLE arap_customer_allocations (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    payment_id UUID NOT NULL,
    invoice_id UUID NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, payment_id, invoice_id),
    CHECK (amount > 0)
);
CREATE INDEX arap_customer_allocations_invoice ON arap_customer_allocations (tenant_id, invoice_id);

CREATE TABLE arap_suppliers (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    code TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    tin TEXT,
    contact_name TEXT,
    phone TEXT,
    payment_terms_days BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code),
    CHECK (kind IN ('bdc', 'transporter', 'other'))
);

CREATE TABLE arap_purchase_orders (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    po_no TEXT NOT NULL,
    supplier_id UUID NOT NULL,
    depot TEXT NOT NULL,
    product_id UUID NOT NULL,
    quantity_milli BIGINT NOT NULL,
    unit_price BIGINT NOT NULL,
    status TEXT NOT NULL,
    ordered_on TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, po_no),
    CHECK (status IN ('open', 'closed', 'cancelled')),
    CHECK (quantity_milli > 0 AND unit_price > 0)
);

CREATE TABLE arap_supplier_invoices (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    supplier_id UUID NOT NULL,
    invoice_no TEXT NOT NULL,
    purchase_order_id UUID NOT NULL,
    invoice_date TEXT NOT NULL,
    due_on TEXT NOT NULL,
    quantity_milli BIGINT NOT NULL,
    unit_price BIGINT NOT NULL,
    net_amount BIGINT NOT NULL,
    vat_amount BIGINT NOT NULL,
    total BIGINT NOT NULL,
    -- matched: within the tolerances; flagged: a mismatch kept for review (match_notes, JSON)
    match_status TEXT NOT NULL,
    match_notes TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, supplier_id, invoice_no),
    CHECK (match_status IN ('matched', 'flagged'))
);
CREATE INDEX arap_supplier_invoices_supplier
    ON arap_supplier_invoices (tenant_id, supplier_id, invoice_date);

CREATE TABLE arap_supplier_invoice_deliveries (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    invoice_id UUID NOT NULL,
    delivery_id UUID NOT NULL,
    quantity_milli BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, invoice_id, delivery_id),
    UNIQUE (tenant_id, delivery_id)
);

CREATE TABLE arap_supplier_payments (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    supplier_id UUID NOT NULL,
    method TEXT NOT NULL,
    reference TEXT,
    amount BIGINT NOT NULL,
    paid_on TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CHECK (method IN ('bank', 'cheque')),
    CHECK (amount > 0)
);

CREATE TABLE arap_supplier_allocations (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    payment_id UUID NOT NULL,
    invoice_id UUID NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, payment_id, invoice_id),
    CHECK (amount > 0)
);
CREATE INDEX arap_supplier_allocations_invoice ON arap_supplier_allocations (tenant_id, invoice_id);

-- Matching tolerances per tenant (no row: the defaults in src/domains/arap/matching.hpp).
CREATE TABLE arap_settings (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    quantity_tolerance_bp BIGINT NOT NULL,
    price_tolerance_bp BIGINT NOT NULL,
    mismatch_action TEXT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id),
    CHECK (mismatch_action IN ('refuse', 'flag'))
);
