-- Row-level security for every UPPF table (a second wall behind the handlers' own tenant
-- conditions).
SELECT omc_enable_tenant_isolation('uppf_routes');
SELECT omc_enable_tenant_isolation('uppf_route_distances');
SELECT omc_enable_tenant_isolation('uppf_rates');
SELECT omc_enable_tenant_isolation('uppf_claims');
SELECT omc_enable_tenant_isolation('uppf_claim_lines');
SELECT omc_enable_tenant_isolation('uppf_settlements');
