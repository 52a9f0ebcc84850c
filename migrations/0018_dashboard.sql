-- The dashboard's read APIs (issue 7). Stations already carry latitude_e6/longitude_e6 (0006).
--
-- How long an active station may go without recording a sale before the network overview shows
-- it "offline" (GET /api/v1/dashboard/overview). A tenant setting beside the other wet-stock
-- settings, changed with PUT /api/v1/forecourt/settings.
ALTER TABLE forecourt_settings ADD COLUMN offline_after_minutes BIGINT NOT NULL DEFAULT 180;

-- The overview sums the rollup over the last few weeks: without this index it reads every day
-- the tenant ever sold. Sales upsert sales_daily without changing these columns, so the index
-- costs one entry per new (station, product, day), not one per sale.
CREATE INDEX sales_daily_date ON sales_daily (tenant_id, business_date);
