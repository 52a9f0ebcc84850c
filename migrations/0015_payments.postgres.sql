-- Row-level security for every payments table (a second wall behind the handlers' own tenant
-- conditions). The callback route and the poller read payment_intents across tenants in a
-- system transaction (app.system = 'on'), as the outbox relay does.
SELECT omc_enable_tenant_isolation('payment_providers');
SELECT omc_enable_tenant_isolation('payment_intents');
SELECT omc_enable_tenant_isolation('payment_reconciliations');
SELECT omc_enable_tenant_isolation('payment_reconciliation_items');
