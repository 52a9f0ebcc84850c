-- pgbench baseline for bench/sales/run.sh: one fuel sale, one transaction, with the writes
-- SalesService makes for it (src/domains/forecourt/sales.cpp): take the station's next receipt
-- number (kLockReceipts + kAdvanceReceipts, here one UPDATE ... RETURNING), insert the sale row
-- (kInsertSale, every column), its outbox event (events::AppendEvent, a payload of the sale's
-- size), move the tank's book stock (kMoveBookStock) and upsert the daily rollup (kAddDaily).
-- The reads omc also makes (station, shift, nozzle, attendant, price, replay check) are left out:
-- the baseline is the cheapest honest way to store a sale one transaction at a time.
--
-- run.sh makes one copy per nozzle with :tenant, :station, :tank, :product, :nozzle and :shift
-- replaced by literals; pgbench picks a copy at random per transaction. The sale id is
-- UUIDv7-shaped (time first), like the ids omc is sent.
\set q random(1000, 60999)
\set amount (:q * 1495 + 500) / 1000
BEGIN;
SELECT set_config('app.tenant_id', :tenant, true);
UPDATE station_receipts SET next_receipt = next_receipt + 1
WHERE tenant_id = :tenant AND station_id = :station RETURNING next_receipt - 1 AS receipt_no
\gset
INSERT INTO sales (tenant_id, id, station_id, receipt_no, kind, product_id, nozzle_id, tank_id, shift_id, attendant_id, quantity_milli, unit_price, amount, payment_method, payment_ref, customer_id, sold_at_us, recorded_at_us, recorded_by, reverses_id, reason, approved_by, request_hash) VALUES (:tenant, (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || '7' || substr(replace(gen_random_uuid()::text, '-', ''), 14, 19))::uuid, :station, :receipt_no, 'fuel', :product, :nozzle, :tank, :shift, NULL, :q, 149500000, :amount, 'cash', NULL, NULL, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint, '0190a4c2-0000-7000-8000-000000000001', NULL, NULL, NULL, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855') RETURNING id AS sale_id
\gset
INSERT INTO outbox_events (tenant_id, id, type, aggregate_type, aggregate_id, payload, created_at_us) VALUES (:tenant, (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || '7' || substr(replace(gen_random_uuid()::text, '-', ''), 14, 19))::uuid, 'forecourt.sale_recorded', 'sale', CAST(:sale_id AS TEXT), '{"amount":"149.50","approved_by": null,"attendant_id":"0190a4c2-0000-7000-8000-000000000001","customer_id": null,"id":"' || CAST(:sale_id AS TEXT) || '","kind":"fuel","nozzle_id":"0190a4c2-0000-7000-8000-000000000002","payment_method":"cash","payment_ref": null,"product_id":"0190a4c2-0000-7000-8000-000000000003","quantity":"10.000","reason": null,"receipt_no":1,"recorded_at":"2026-11-21T00:00:00.000000Z","recorded_by":"0190a4c2-0000-7000-8000-000000000001","reverses_id": null,"shift_id":"0190a4c2-0000-7000-8000-000000000004","sold_at":"2026-11-21T00:00:00.000000Z","station_id":"0190a4c2-0000-7000-8000-000000000005","tank_id":"0190a4c2-0000-7000-8000-000000000006","unit_price":"14.95"}', (extract(epoch FROM clock_timestamp()) * 1000000)::bigint);
UPDATE tanks SET book_stock_milli = book_stock_milli - :q WHERE tenant_id = :tenant AND id = :tank;
INSERT INTO sales_daily (tenant_id, station_id, product_id, business_date, sales_count, quantity_milli, amount) VALUES (:tenant, :station, :product, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 1, :q, :amount) ON CONFLICT (tenant_id, station_id, product_id, business_date) DO UPDATE SET sales_count = sales_daily.sales_count + excluded.sales_count, quantity_milli = sales_daily.quantity_milli + excluded.quantity_milli, amount = sales_daily.amount + excluded.amount;
END;
