-- The NPA price build-up (issue 5): every component between the ex-refinery price and the
-- ex-pump price as an effective-dated row per product. src/domains/pricing/README.md describes
-- the invariants; docs/pricing.md the model.
--
-- amount is a unit price: ten-thousandths of a pesewa per the product's unit (litre, or kg for
-- LPG), NPA's scale; it may be negative (a recovery margin / subsidy). Dates are days since
-- 1970-01-01; valid_to_days is the last day in force (inclusive), NULL while open-ended.
-- Rows are not deleted: a suspension ends a row and a reinstatement starts a new one.
CREATE TABLE price_components (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    product_id UUID NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- The subtotal the line adds to: ex_refinery, ex_depot or ex_pump.
    subtotal TEXT NOT NULL,
    -- The line's place within its subtotal (then the code): data, not code.
    position BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    valid_from_days BIGINT NOT NULL,
    valid_to_days BIGINT,
    -- Counts towards the NPA price floor base (the OMC's and dealer's margins do not).
    in_floor BOOLEAN NOT NULL,
    -- The GRA customs levy the line is paid under (EDRL, ESRL, PSRL and SPL are one "ESSDRL").
    gra_levy_code TEXT,
    -- Where the figure comes from (an NPA circular, a PBU sheet).
    source_ref TEXT,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CHECK (kind IN ('ex_refinery', 'tax', 'levy', 'regulated_margin', 'omc_margin',
                    'dealer_margin')),
    CHECK (subtotal IN ('ex_refinery', 'ex_depot', 'ex_pump')),
    CHECK (valid_to_days IS NULL OR valid_to_days >= valid_from_days)
);

-- The build-up of a product on a date, and the overlap check of one component of one product.
CREATE INDEX price_components_product_code
    ON price_components (tenant_id, product_id, code, valid_from_days);
CREATE INDEX price_components_from ON price_components (tenant_id, valid_from_days);
