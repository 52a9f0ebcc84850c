-- Reconciliation, stock adjustments and alerts (issue 4): indexes for the per-tank reads, one
-- delivery per dip, and the notes people add when they acknowledge or resolve an alert.
-- No new table, so no row-level-security sibling: every table touched here got its policy in
-- 0006_forecourt.postgres.sql.

-- A dip pair serves one delivery: a dip counted as the "before" (or "after") of two deliveries
-- would count the same stock twice. The API refuses it first (409 naming dip_before_id or
-- dip_after_id); these indexes are the second wall. A dip's purpose is either before_delivery
-- or after_delivery, so one dip can never be both the before of one and the after of another.
CREATE UNIQUE INDEX deliveries_one_dip_before ON deliveries (tenant_id, dip_before_id);
CREATE UNIQUE INDEX deliveries_one_dip_after ON deliveries (tenant_id, dip_after_id);

-- Reconciliation reads a tank's sales and deliveries over a window of time.
CREATE INDEX sales_tank_time ON sales (tenant_id, tank_id, sold_at_us);
CREATE INDEX deliveries_tank_time ON deliveries (tenant_id, tank_id, delivered_at_us);

-- What the person who acknowledged or resolved an alert wrote (optional).
ALTER TABLE alerts ADD COLUMN acknowledged_note TEXT;
ALTER TABLE alerts ADD COLUMN resolved_note TEXT;
-- Alerts listed by status (the open ones first thing in the morning).
CREATE INDEX alerts_status ON alerts (tenant_id, status, kind);
