-- Row-level security for the tax tables (a second wall behind the store's tenant conditions).
SELECT omc_enable_tenant_isolation('tax_rates');
