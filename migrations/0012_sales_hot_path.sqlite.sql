-- The sale is the hottest write (ARCHITECTURE.md, the hot paths); two things in its table cost
-- every insert on SQLite more than they need to:
--   - a CHECK with an IN list of three or more values makes SQLite build a temporary index of
--     the list each time the check runs, on every insert (EXPLAIN shows an OpenEphemeral per
--     list); the same rules written with OR compare in place;
--   - every sale carried an entry in sales_reverses, though only voids and refunds have a
--     reverses_id: the index is now partial, and its one query (the reversals of a sale,
--     reverses_id = ?) still uses it;
--   - sales_tank_time (0007) is gone: a tank's sales over a period are read through its
--     station's, sales_station_time (reconciliation.cpp, alerts.cpp), so a sale writes one
--     index fewer, and a batch dirties one index page per station fewer.
-- SQLite cannot alter a CHECK, so the table is rebuilt with the same columns, keys and rules.
-- No table references sales, and the copy keeps every row and value.
CREATE TABLE sales_rebuilt (
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    id TEXT NOT NULL,
    station_id TEXT NOT NULL,
    receipt_no INTEGER NOT NULL,
    kind TEXT NOT NULL,
    product_id TEXT NOT NULL,
    nozzle_id TEXT,
    tank_id TEXT,
    shift_id TEXT,
    attendant_id TEXT,
    quantity_milli INTEGER NOT NULL,
    unit_price INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    payment_method TEXT NOT NULL,
    payment_ref TEXT,
    customer_id TEXT,
    sold_at_us INTEGER NOT NULL,
    recorded_at_us INTEGER NOT NULL,
    recorded_by TEXT NOT NULL,
    reverses_id TEXT,
    reason TEXT,
    approved_by TEXT,
    request_hash TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, station_id, receipt_no),
    CHECK (kind = 'fuel' OR kind = 'shop' OR kind = 'void' OR kind = 'refund'),
    CHECK (payment_method = 'cash' OR payment_method = 'momo' OR payment_method = 'card'
           OR payment_method = 'account' OR payment_method = 'voucher'),
    CHECK ((kind = 'void' OR kind = 'refund') = (reverses_id IS NOT NULL)),
    CHECK ((kind <> 'void' AND kind <> 'refund') OR (quantity_milli <= 0 AND amount <= 0)),
    CHECK (kind = 'void' OR kind = 'refund' OR (quantity_milli > 0 AND amount > 0))
) STRICT;
INSERT INTO sales_rebuilt SELECT * FROM sales;
DROP TABLE sales;
ALTER TABLE sales_rebuilt RENAME TO sales;
CREATE INDEX sales_station_time ON sales (tenant_id, station_id, sold_at_us);
CREATE INDEX sales_time ON sales (tenant_id, sold_at_us);
CREATE INDEX sales_shift ON sales (tenant_id, shift_id);
CREATE INDEX sales_reverses ON sales (tenant_id, reverses_id) WHERE reverses_id IS NOT NULL;
