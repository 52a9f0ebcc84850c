-- Row-level security for the pricing-window tables (pricing_national_holidays is the same for
-- every tenant and has none).
SELECT omc_enable_tenant_isolation('pricing_holidays');
SELECT omc_enable_tenant_isolation('pricing_floors');
SELECT omc_enable_tenant_isolation('pricing_zones');
SELECT omc_enable_tenant_isolation('pricing_zone_stations');
SELECT omc_enable_tenant_isolation('pricing_proposals');
SELECT omc_enable_tenant_isolation('pricing_proposal_lines');
