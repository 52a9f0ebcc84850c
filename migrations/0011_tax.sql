-- GRA taxes on non-fuel sales (src/domains/tax/README.md): effective-dated rates per tax, so a
-- new rate or a new scheme is a new row, not a code change. Fuel is VAT-exempt and never taxed
-- here. Until a tenant writes its first rate it uses the defaults in code (the GRA rules of the
-- domain reference); its first POST copies those defaults into this table.
CREATE TABLE tax_rates (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID NOT NULL,
    -- VAT, NHIL, GETFUND, COVID, or a new tax's code (upper-case, 1..32 of [A-Z0-9_-]).
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    -- Basis points of the tax's base: 1500 = 15 %.
    rate_bp BIGINT NOT NULL,
    -- value: the VAT-exclusive (taxable) value; value_plus_levies: that value plus every tax in
    -- force on the same date whose base is `value` (VAT until 31 Dec 2025).
    base TEXT NOT NULL,
    -- Whether the tax can be claimed as input tax (the levies could not until 2026).
    input_deductible BOOLEAN NOT NULL,
    -- The supply dates the rate applies to, both inclusive ("YYYY-MM-DD"); valid_to NULL: open.
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    note TEXT,
    created_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CHECK (rate_bp >= 0 AND rate_bp <= 10000),
    CHECK (base IN ('value', 'value_plus_levies')),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX tax_rates_code ON tax_rates (tenant_id, code, valid_from);
