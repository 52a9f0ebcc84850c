-- Forecourt and wet stock: products, the station's site details, tanks with their strapping
-- charts, pumps and nozzles, station prices, shifts, sales with gap-free receipts, dips,
-- deliveries, stock movements, reconciliation settings and alerts.
-- src/domains/forecourt/README.md describes the invariants.
--
-- Quantities are integers in thousandths of the product's unit: millilitres for fuels sold by
-- the litre, grams for LPG (sold by the kg), thousandths of an item for shop goods. Unit prices
-- are ten-thousandths of a pesewa per unit (NPA's scale); money is pesewas. Times are UTC
-- microseconds. Facts (sales, dips, deliveries, movements) are appended, never edited: a
-- correction is a new, linked row.

-- The station's site details (the station itself is the organisation's, migration 0005).
ALTER TABLE stations ADD COLUMN latitude_e6 BIGINT;
ALTER TABLE stations ADD COLUMN longitude_e6 BIGINT;
ALTER TABLE stations ADD COLUMN address TEXT;
ALTER TABLE stations ADD COLUMN npa_licence_no TEXT;
ALTER TABLE stations ADD COLUMN npa_licence_expires_on TEXT;
ALTER TABLE stations ADD COLUMN business_day_start_min BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stations ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Africa/Accra';

CREATE TABLE products (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    -- fuel: dispensed from a tank through a nozzle; lubricant and shop: counted items.
    kind TEXT NOT NULL,
    unit TEXT NOT NULL,
    -- Density at 15 °C in tenths of kg/m³ (fuels only), for volume correction.
    density15_x10 BIGINT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code),
    CHECK (kind IN ('fuel', 'lubricant', 'shop')),
    CHECK (unit IN ('L', 'kg', 'each')),
    CHECK ((kind = 'fuel') = (density15_x10 IS NOT NULL)),
    CHECK (kind = 'fuel' OR unit = 'each')
);

CREATE TABLE tanks (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    station_id UUID NOT NULL,
    code TEXT NOT NULL,
    product_id UUID NOT NULL,
    capacity_milli BIGINT NOT NULL,
    safe_fill_milli BIGINT NOT NULL,
    low_level_milli BIGINT NOT NULL,
    water_limit_mm BIGINT NOT NULL,
    -- Book stock: moved by every sale through the tank's nozzles (one update per tank per
    -- committed batch of sales), delivery and adjustment.
    book_stock_milli BIGINT NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, station_id, code),
    CHECK (capacity_milli > 0),
    CHECK (safe_fill_milli > 0 AND safe_fill_milli <= capacity_milli),
    CHECK (low_level_milli >= 0 AND low_level_milli < safe_fill_milli),
    CHECK (water_limit_mm >= 0)
);

-- A tank's calibration, height (mm) to volume; effective-dated so a recalibration keeps the old
-- chart for the dips taken under it. points: JSON [[height_mm, volume_milli], ...].
CREATE TABLE tank_charts (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    tank_id UUID NOT NULL,
    effective_from_us BIGINT NOT NULL,
    points TEXT NOT NULL,
    max_height_mm BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, tank_id, effective_from_us)
);

CREATE TABLE pumps (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    station_id UUID NOT NULL,
    code TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, station_id, code)
);

-- Each nozzle draws from one tank; its product is the tank's. The totalizer is the last
-- electronic reading recorded (shift open/close).
CREATE TABLE nozzles (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    station_id UUID NOT NULL,
    pump_id UUID NOT NULL,
    number BIGINT NOT NULL,
    tank_id UUID NOT NULL,
    totalizer_milli BIGINT NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, pump_id, number),
    CHECK (number > 0),
    CHECK (totalizer_milli >= 0)
);
CREATE INDEX nozzles_station ON nozzles (tenant_id, station_id);

-- The ex-pump price in force from a time, for one station or (station_id NULL) every station
-- without its own. The pricing workflow (windows, floors, approval) writes here; until then a
-- CompanyAdmin sets prices directly. The price at time t is the latest row with
-- effective_from_us <= t, the station's own row winning over the network's.
CREATE TABLE station_prices (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    product_id UUID NOT NULL,
    station_id UUID,
    unit_price BIGINT NOT NULL,
    effective_from_us BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CHECK (unit_price > 0)
);
CREATE INDEX station_prices_lookup
    ON station_prices (tenant_id, product_id, station_id, effective_from_us);

CREATE TABLE shifts (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    station_id UUID NOT NULL,
    status TEXT NOT NULL,
    business_date TEXT NOT NULL,
    opened_at_us BIGINT NOT NULL,
    opened_by TEXT NOT NULL,
    closed_at_us BIGINT,
    closed_by TEXT,
    note TEXT,
    PRIMARY KEY (tenant_id, id),
    CHECK (status IN ('open', 'closed')),
    CHECK ((status = 'closed') = (closed_at_us IS NOT NULL))
);
-- At most one open shift per station.
CREATE UNIQUE INDEX shifts_one_open ON shifts (tenant_id, station_id) WHERE status = 'open';
CREATE INDEX shifts_station_time ON shifts (tenant_id, station_id, opened_at_us);

-- Who works which pump during a shift.
CREATE TABLE shift_attendants (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    shift_id UUID NOT NULL,
    pump_id UUID NOT NULL,
    attendant_id UUID NOT NULL,
    PRIMARY KEY (tenant_id, shift_id, pump_id)
);

-- Opening and closing totalizer per nozzle.
CREATE TABLE shift_nozzles (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    shift_id UUID NOT NULL,
    nozzle_id UUID NOT NULL,
    opening_milli BIGINT NOT NULL,
    closing_milli BIGINT,
    PRIMARY KEY (tenant_id, shift_id, nozzle_id),
    CHECK (closing_milli IS NULL OR closing_milli >= opening_milli)
);

-- What each attendant handed over at close.
CREATE TABLE shift_collections (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    shift_id UUID NOT NULL,
    attendant_id UUID NOT NULL,
    cash BIGINT NOT NULL,
    momo BIGINT NOT NULL,
    card BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, shift_id, attendant_id),
    CHECK (cash >= 0 AND momo >= 0 AND card >= 0)
);

-- A correction to a closed shift: a linked record with its reason, by a StationManager.
CREATE TABLE shift_adjustments (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    shift_id UUID NOT NULL,
    attendant_id UUID,
    nozzle_id UUID,
    field TEXT NOT NULL,
    delta BIGINT NOT NULL,
    reason TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CHECK (field IN ('cash', 'momo', 'card', 'closing_milli'))
);
CREATE INDEX shift_adjustments_shift ON shift_adjustments (tenant_id, shift_id);

-- The next receipt number of each station: taken once per committed batch of sales, so the
-- numbers are gap-free and never shared.
CREATE TABLE station_receipts (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    station_id UUID NOT NULL,
    next_receipt BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, station_id)
);

-- Sales, voids and refunds. The id is the client's (UUIDv7) so a retried sale is stored once.
-- A void or refund is its own row with negative quantity and amount, naming the sale it
-- reverses (reverses_id), its reason and the approving StationManager.
CREATE TABLE sales (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    station_id UUID NOT NULL,
    receipt_no BIGINT NOT NULL,
    kind TEXT NOT NULL,
    product_id UUID NOT NULL,
    nozzle_id UUID,
    tank_id UUID,
    shift_id UUID,
    attendant_id UUID,
    quantity_milli BIGINT NOT NULL,
    unit_price BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    payment_method TEXT NOT NULL,
    payment_ref TEXT,
    customer_id UUID,
    sold_at_us BIGINT NOT NULL,
    recorded_at_us BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    reverses_id UUID,
    reason TEXT,
    approved_by TEXT,
    request_hash TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, station_id, receipt_no),
    CHECK (kind IN ('fuel', 'shop', 'void', 'refund')),
    CHECK (payment_method IN ('cash', 'momo', 'card', 'account', 'voucher')),
    CHECK ((kind IN ('void', 'refund')) = (reverses_id IS NOT NULL)),
    CHECK (kind NOT IN ('void', 'refund') OR (quantity_milli <= 0 AND amount <= 0)),
    CHECK (kind IN ('void', 'refund') OR (quantity_milli > 0 AND amount > 0))
);
CREATE INDEX sales_station_time ON sales (tenant_id, station_id, sold_at_us);
CREATE INDEX sales_time ON sales (tenant_id, sold_at_us);
CREATE INDEX sales_shift ON sales (tenant_id, shift_id);
CREATE INDEX sales_reverses ON sales (tenant_id, reverses_id);

-- Daily totals per station and product, maintained with the sales (one upsert per key per
-- batch), so dashboards never scan raw sales.
CREATE TABLE sales_daily (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    station_id UUID NOT NULL,
    product_id UUID NOT NULL,
    business_date TEXT NOT NULL,
    sales_count BIGINT NOT NULL,
    quantity_milli BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, station_id, product_id, business_date)
);

-- Tank readings: height to gross volume by the chart in force, less water, corrected to the
-- reference temperature. Every number used is kept with the reading.
CREATE TABLE dips (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    station_id UUID NOT NULL,
    tank_id UUID NOT NULL,
    chart_id UUID NOT NULL,
    taken_at_us BIGINT NOT NULL,
    height_mm BIGINT NOT NULL,
    water_height_mm BIGINT NOT NULL,
    temperature_c100 BIGINT NOT NULL,
    density15_x10 BIGINT NOT NULL,
    reference_temperature_c100 BIGINT NOT NULL,
    gross_milli BIGINT NOT NULL,
    water_milli BIGINT NOT NULL,
    net_observed_milli BIGINT NOT NULL,
    vcf_x10000 BIGINT NOT NULL,
    standard_milli BIGINT NOT NULL,
    book_stock_milli BIGINT NOT NULL,
    purpose TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CHECK (purpose IN ('routine', 'opening', 'closing', 'before_delivery', 'after_delivery')),
    CHECK (water_height_mm >= 0 AND water_height_mm <= height_mm)
);
CREATE INDEX dips_tank_time ON dips (tenant_id, tank_id, taken_at_us);

CREATE TABLE deliveries (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    station_id UUID NOT NULL,
    tank_id UUID NOT NULL,
    product_id UUID NOT NULL,
    waybill_no TEXT NOT NULL,
    depot TEXT NOT NULL,
    supplier TEXT NOT NULL,
    transporter TEXT NOT NULL,
    brv_registration TEXT NOT NULL,
    driver_name TEXT NOT NULL,
    compartments TEXT NOT NULL,
    loaded_at_us BIGINT NOT NULL,
    delivered_at_us BIGINT NOT NULL,
    loaded_ambient_milli BIGINT NOT NULL,
    loading_temperature_c100 BIGINT NOT NULL,
    density15_x10 BIGINT NOT NULL,
    loaded_vcf_x10000 BIGINT NOT NULL,
    loaded_standard_milli BIGINT NOT NULL,
    dip_before_id UUID NOT NULL,
    dip_after_id UUID NOT NULL,
    sales_during_milli BIGINT NOT NULL,
    received_standard_milli BIGINT NOT NULL,
    shortage_milli BIGINT NOT NULL,
    allowance_milli BIGINT NOT NULL,
    claimable_milli BIGINT NOT NULL,
    claim_unit_price BIGINT NOT NULL,
    claim_amount BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, waybill_no, tank_id)
);
CREATE INDEX deliveries_station_time ON deliveries (tenant_id, station_id, delivered_at_us);

-- Every change of a tank's book stock other than a sale (sales are their own record):
-- deliveries, adjustments, and the stock returned by a void or refund.
CREATE TABLE stock_movements (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    station_id UUID NOT NULL,
    tank_id UUID NOT NULL,
    kind TEXT NOT NULL,
    quantity_milli BIGINT NOT NULL,
    reference_id UUID,
    reason TEXT,
    occurred_at_us BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CHECK (kind IN ('delivery', 'adjustment', 'void', 'refund'))
);
CREATE INDEX stock_movements_tank_time ON stock_movements (tenant_id, tank_id, occurred_at_us);

-- The tenant's wet-stock settings (a row only when changed from the defaults in code).
CREATE TABLE forecourt_settings (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    reference_temperature_c100 BIGINT NOT NULL,
    transit_loss_tolerance_bp BIGINT NOT NULL,
    variance_tolerance_bp BIGINT NOT NULL,
    variance_floor_milli BIGINT NOT NULL,
    low_stock_days_x100 BIGINT NOT NULL,
    licence_warning_days BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id),
    CHECK (reference_temperature_c100 IN (1500, 2000))
);

CREATE TABLE alerts (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    station_id UUID NOT NULL,
    tank_id UUID,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    message TEXT NOT NULL,
    details TEXT NOT NULL,
    -- One open alert per condition: (kind, subject) while not resolved.
    dedupe_key TEXT NOT NULL,
    raised_at_us BIGINT NOT NULL,
    acknowledged_at_us BIGINT,
    acknowledged_by TEXT,
    resolved_at_us BIGINT,
    resolved_by TEXT,
    PRIMARY KEY (tenant_id, id),
    CHECK (kind IN ('low_stock', 'water', 'variance', 'licence_expiry', 'overfill')),
    CHECK (severity IN ('info', 'warning', 'critical')),
    CHECK (status IN ('open', 'acknowledged', 'resolved'))
);
CREATE UNIQUE INDEX alerts_one_live ON alerts (tenant_id, dedupe_key) WHERE status <> 'resolved';
CREATE INDEX alerts_station ON alerts (tenant_id, station_id, raised_at_us);
