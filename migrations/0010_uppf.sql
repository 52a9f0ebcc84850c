-- UPPF freight claims (issue 5): the depot -> station route table with effective-dated
-- distances, the effective-dated freight rate settings, monthly claim periods, their lines (one
-- per delivery trip) and the settlements NPA pays against them.
-- src/domains/uppf/README.md describes the invariants.
--
-- Distances are tenths of a km; the freight rate is ten-thousandths of a pesewa per litre per km
-- (NPA's price scale); quantities are millilitres; money is pesewas. Dates are "YYYY-MM-DD" text
-- (they sort as dates); times are UTC microseconds. The official rate, distance thresholds and
-- volume basis are unconfirmed (GHANA_REFERENCE.md section 4): they are rows here, not code.

-- A depot -> station route. Deliveries name their depot as text (forecourt's `deliveries.depot`),
-- so a route is keyed by that text, compared trimmed and upper-case (`depot_key`).
CREATE TABLE uppf_routes (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    depot TEXT NOT NULL,
    depot_key TEXT NOT NULL,
    station_id UUID NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, depot_key, station_id)
);

-- A route's distance from a date on: the version in force on a trip's loading date is the one
-- with the latest effective_from on or before it. Versions are appended, never edited.
CREATE TABLE uppf_route_distances (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    route_id UUID NOT NULL,
    effective_from TEXT NOT NULL,
    distance_km_e1 BIGINT NOT NULL,
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, route_id, effective_from),
    CHECK (distance_km_e1 > 0)
);

-- The freight rate and thresholds from a date on (one row per effective date).
-- max_distance_km_e1: the allowable-km cap (distance above it is not paid); NULL = no cap.
-- min_distance_km_e1: trips shorter than this are not claimable; NULL = none.
-- quantity_basis: the quantity paid on, 'loaded' (the depot ticket's ambient litres) or
-- 'received' (the station's received standard litres).
CREATE TABLE uppf_rates (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    effective_from TEXT NOT NULL,
    rate_per_litre_km_e4 BIGINT NOT NULL,
    max_distance_km_e1 BIGINT,
    min_distance_km_e1 BIGINT,
    quantity_basis TEXT NOT NULL,
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, effective_from),
    CHECK (rate_per_litre_km_e4 > 0),
    CHECK (max_distance_km_e1 IS NULL OR max_distance_km_e1 > 0),
    CHECK (min_distance_km_e1 IS NULL OR min_distance_km_e1 >= 0),
    CHECK (quantity_basis IN ('loaded', 'received'))
);

-- A monthly claim period ("YYYY-MM"), one per month per tenant.
CREATE TABLE uppf_claims (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    period TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    submitted_by TEXT,
    submitted_at_us BIGINT,
    submission_reference TEXT,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, period),
    CHECK (status IN ('draft', 'submitted', 'partly_settled', 'settled'))
);

-- One line per delivery trip, with the figures computed when it was added (a later route or
-- rate change does not rewrite a line). A delivery is claimed at most once, in any period.
CREATE TABLE uppf_claim_lines (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    claim_id UUID NOT NULL,
    delivery_id UUID NOT NULL,
    station_id UUID NOT NULL,
    intended_station_id UUID NOT NULL,
    route_id UUID,
    rate_id UUID NOT NULL,
    loading_date TEXT NOT NULL,
    depot TEXT NOT NULL,
    bdc TEXT NOT NULL,
    product_id UUID NOT NULL,
    product_code TEXT NOT NULL,
    loaded_milli BIGINT NOT NULL,
    received_milli BIGINT NOT NULL,
    quantity_basis TEXT NOT NULL,
    claimed_milli BIGINT NOT NULL,
    brv_registration TEXT NOT NULL,
    transporter TEXT NOT NULL,
    omc_order_no TEXT NOT NULL,
    omc_invoice_no TEXT NOT NULL,
    waybill_no TEXT NOT NULL,
    distance_km_e1 BIGINT NOT NULL,
    paid_distance_km_e1 BIGINT NOT NULL,
    rate_per_litre_km_e4 BIGINT NOT NULL,
    amount_pesewas BIGINT NOT NULL,
    claimable_pesewas BIGINT NOT NULL,
    diverted BOOLEAN NOT NULL,
    exclusion TEXT,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, delivery_id),
    CHECK (claimable_pesewas >= 0 AND claimable_pesewas <= amount_pesewas),
    CHECK (exclusion IS NULL OR exclusion IN ('diversion', 'below_min_distance'))
);
CREATE INDEX uppf_claim_lines_claim ON uppf_claim_lines (tenant_id, claim_id);
CREATE INDEX uppf_claim_lines_waybill ON uppf_claim_lines (tenant_id, waybill_no);

-- What NPA paid against a submitted claim. `final` closes the claim as settled even when the
-- payments fall short of the claimable total (the rest is the shortfall NPA disallowed).
CREATE TABLE uppf_settlements (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    claim_id UUID NOT NULL,
    amount_pesewas BIGINT NOT NULL,
    settled_on TEXT NOT NULL,
    reference TEXT NOT NULL,
    final BOOLEAN NOT NULL,
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CHECK (amount_pesewas >= 0)
);
CREATE INDEX uppf_settlements_claim ON uppf_settlements (tenant_id, claim_id);
