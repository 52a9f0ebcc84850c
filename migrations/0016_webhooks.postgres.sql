-- Row-level security for every webhooks table (a second wall behind the handlers' own tenant
-- conditions). The dispatcher spans tenants with app.system = 'on'.
SELECT omc_enable_tenant_isolation('webhook_endpoints');
SELECT omc_enable_tenant_isolation('webhook_secrets');
SELECT omc_enable_tenant_isolation('webhook_cursors');
SELECT omc_enable_tenant_isolation('webhook_deliveries');
SELECT omc_enable_tenant_isolation('webhook_attempts');
