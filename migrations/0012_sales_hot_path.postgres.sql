-- A tank's sales over a period are read through its station's (sales_station_time; see
-- reconciliation.cpp and alerts.cpp), so sales_tank_time (0007) goes: one index fewer per sale.
DROP INDEX sales_tank_time;

-- Only voids and refunds have a reverses_id, so only they need an entry in sales_reverses: the
-- index is now partial, saving every sale an index insert, and its one query (the reversals of
-- a sale, reverses_id = $2) still uses it. (SQLite also rebuilds the table to write its CHECKs
-- without IN lists; PostgreSQL evaluates those in place, so its table stays as it is.)
DROP INDEX sales_reverses;
CREATE INDEX sales_reverses ON sales (tenant_id, reverses_id) WHERE reverses_id IS NOT NULL;
