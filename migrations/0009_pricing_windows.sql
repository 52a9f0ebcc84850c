-- Pricing windows, NPA price floors, the OMC's price proposals (per window, for the network, a
-- price zone or a station), price zones, and the Ghana public-holiday calendar the submission
-- deadline skips. src/domains/pricing/README.md ("Windows, floors and station prices") gives the
-- invariants; docs/pricing.md the rules.
--
-- A window is named by its first day ("2026-12-16" for 16-31 Dec 2026); unit prices are
-- ten-thousandths of a pesewa per litre or kg, like station_prices (migration 0006), which the
-- scheduling of a proposal writes.

-- The national calendar, the same for every tenant: statutory public holidays (Public Holidays
-- Act 2001, Act 601, as amended in 2019 and 2025) and the Monday observed when one falls on a
-- weekend. Eid dates depend on the moon and are announced by the government each year: those
-- rows are tentative until confirmed (a tenant confirms or moves them with its own rows).
CREATE TABLE pricing_national_holidays (
    holiday_date TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    tentative BOOLEAN NOT NULL,
    source TEXT NOT NULL
);
INSERT INTO pricing_national_holidays (holiday_date, name, tentative, source) VALUES
    ('2025-01-01', 'New Year''s Day', FALSE, 'Act 601 as amended by Act 986 (2019)'),
    ('2025-01-07', 'Constitution Day', FALSE, 'Act 601 as amended by Act 986 (2019)'),
    ('2025-03-06', 'Independence Day', FALSE, 'Act 601 as amended by Act 986 (2019)'),
    ('2025-03-31', 'Eid al-Fitr', TRUE, 'Act 986 (2019); date announced yearly'),
    ('2025-04-18', 'Good Friday', FALSE, 'Act 601 as amended by Act 986 (2019)'),
    ('2025-04-21', 'Easter Monday', FALSE, 'Act 601 as amended by Act 986 (2019)'),
    ('2025-05-01', 'May Day (Workers'' Day)', FALSE, 'Act 601 as amended by Act 986 (2019)'),
    ('2025-06-06', 'Eid al-Adha', TRUE, 'Act 986 (2019); date announced yearly'),
    ('2025-07-01', 'Republic Day', FALSE, 'Public Holidays and Commemorative Days (Amendment) Act 2025'),
    ('2025-09-21', 'Founders'' Day (Kwame Nkrumah)', FALSE, 'Amendment Act 2025'),
    ('2025-09-22', 'Founders'' Day (observed: 21 Sep is a Sunday)', FALSE, 'Amendment Act 2025; Act 601 weekend rule'),
    ('2025-12-05', 'Farmers'' Day (first Friday of December)', FALSE, 'Act 601 as amended by Act 986 (2019)'),
    ('2025-12-25', 'Christmas Day', FALSE, 'Act 601 as amended by Act 986 (2019)'),
    ('2025-12-26', 'Boxing Day', FALSE, 'Act 601 as amended by Act 986 (2019)'),
    ('2026-01-01', 'New Year''s Day', FALSE, 'Amendment Act 2025'),
    ('2026-01-07', 'Constitution Day', FALSE, 'Amendment Act 2025'),
    ('2026-03-06', 'Independence Day', FALSE, 'Amendment Act 2025'),
    ('2026-03-20', 'Eid al-Fitr', TRUE, 'Amendment Act 2025; date announced yearly'),
    ('2026-03-23', 'Shaqq Day (day after Eid al-Fitr, 21 Mar, observed on the Monday)', TRUE, 'Amendment Act 2025; date announced yearly'),
    ('2026-04-03', 'Good Friday', FALSE, 'Amendment Act 2025'),
    ('2026-04-06', 'Easter Monday', FALSE, 'Amendment Act 2025'),
    ('2026-05-01', 'May Day (Workers'' Day)', FALSE, 'Amendment Act 2025'),
    ('2026-05-27', 'Eid al-Adha', TRUE, 'Amendment Act 2025; date announced yearly'),
    ('2026-07-01', 'Republic Day', FALSE, 'Amendment Act 2025'),
    ('2026-09-21', 'Founders'' Day (Kwame Nkrumah)', FALSE, 'Amendment Act 2025'),
    ('2026-12-04', 'Farmers'' Day (first Friday of December)', FALSE, 'Amendment Act 2025'),
    ('2026-12-25', 'Christmas Day', FALSE, 'Amendment Act 2025'),
    ('2026-12-26', 'Boxing Day', FALSE, 'Amendment Act 2025'),
    ('2026-12-28', 'Boxing Day (observed: 26 Dec is a Saturday)', FALSE, 'Amendment Act 2025; Act 601 weekend rule');

-- A tenant's own calendar entries: a day added (removed = FALSE: a holiday declared at short
-- notice, an Eid date as announced) or a national day taken out (removed = TRUE: a tentative
-- date that did not happen). The calendar in force is the national one with these applied.
CREATE TABLE pricing_holidays (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    holiday_date TEXT NOT NULL,
    name TEXT NOT NULL,
    removed BOOLEAN NOT NULL,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, holiday_date)
);

-- NPA's ex-pump price floor of a product for a window (and the ex-refinery floor NPA publishes
-- beside it, for reference). One floor per product and window.
CREATE TABLE pricing_floors (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    window_start TEXT NOT NULL,
    product_id UUID NOT NULL,
    unit_price BIGINT NOT NULL,
    ex_refinery_unit_price BIGINT,
    reference TEXT,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, window_start, product_id),
    CHECK (unit_price > 0),
    CHECK (ex_refinery_unit_price IS NULL OR ex_refinery_unit_price > 0)
);

-- A named group of stations priced alike. A station belongs to at most one zone.
CREATE TABLE pricing_zones (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code)
);
CREATE TABLE pricing_zone_stations (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    zone_id UUID NOT NULL,
    station_id UUID NOT NULL,
    PRIMARY KEY (tenant_id, station_id)
);
CREATE INDEX pricing_zone_stations_zone ON pricing_zone_stations (tenant_id, zone_id);

-- The OMC's price list for a window: proposed -> approved -> scheduled -> in_force, or
-- rejected / withdrawn (kept, with the reason). At most one approved, scheduled or in-force
-- list per window. The NPA submission (time, and whether it was after the deadline) is
-- recorded on it.
CREATE TABLE pricing_proposals (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    window_start TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    proposed_by TEXT NOT NULL,
    proposed_at_us BIGINT NOT NULL,
    decided_by TEXT,
    decided_at_us BIGINT,
    reason TEXT,
    scheduled_by TEXT,
    scheduled_at_us BIGINT,
    in_force_at_us BIGINT,
    submitted_by TEXT,
    submitted_at_us BIGINT,
    submission_late BOOLEAN,
    PRIMARY KEY (tenant_id, id),
    CHECK (status IN ('proposed', 'approved', 'scheduled', 'in_force', 'rejected', 'withdrawn')),
    CHECK (status NOT IN ('rejected', 'withdrawn') OR reason IS NOT NULL),
    CHECK ((submitted_at_us IS NULL) = (submission_late IS NULL))
);
CREATE UNIQUE INDEX pricing_proposals_one_active ON pricing_proposals (tenant_id, window_start)
    WHERE status IN ('approved', 'scheduled', 'in_force');
CREATE INDEX pricing_proposals_window ON pricing_proposals (tenant_id, window_start);

-- One price of a proposal: a product for the network, a zone or a station; the ex-pump price
-- given directly (mode 'price') or as the OMC's marketer and dealer margins on top of the
-- regulated part of the build-up (mode 'margins': unit_price = regulated + both margins, fixed
-- when proposed).
CREATE TABLE pricing_proposal_lines (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    proposal_id UUID NOT NULL,
    line_no BIGINT NOT NULL,
    product_id UUID NOT NULL,
    scope TEXT NOT NULL,
    zone_id UUID,
    station_id UUID,
    mode TEXT NOT NULL,
    unit_price BIGINT NOT NULL,
    regulated_unit_price BIGINT,
    marketer_margin BIGINT,
    dealer_margin BIGINT,
    PRIMARY KEY (tenant_id, proposal_id, line_no),
    CHECK (scope IN ('network', 'zone', 'station')),
    CHECK ((scope = 'zone') = (zone_id IS NOT NULL)),
    CHECK ((scope = 'station') = (station_id IS NOT NULL)),
    CHECK (mode IN ('price', 'margins')),
    CHECK ((mode = 'margins') = (regulated_unit_price IS NOT NULL)),
    CHECK (unit_price > 0)
);
