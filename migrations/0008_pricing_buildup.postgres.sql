-- Row-level security for the price build-up table (a second wall behind the queries' own
-- tenant conditions).
SELECT omc_enable_tenant_isolation('price_components');
