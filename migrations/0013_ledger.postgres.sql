-- Row-level security for the ledger tables (a second wall behind the store's tenant conditions).
SELECT omc_enable_tenant_isolation('ledger_chart');
SELECT omc_enable_tenant_isolation('ledger_accounts');
SELECT omc_enable_tenant_isolation('ledger_transfers');
SELECT omc_enable_tenant_isolation('ledger_pending');
SELECT omc_enable_tenant_isolation('ledger_periods');
SELECT omc_enable_tenant_isolation('ledger_sale_batches');
