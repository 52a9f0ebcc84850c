-- Row-level security for every tenant-owned identity table (a second wall behind the stores'
-- own tenant conditions). Sign-in, refresh and API-key checks look credentials up across
-- tenants with app.system = 'on', by unique hash or login name only (identity/auth_service.cpp).
SELECT omc_enable_tenant_isolation('regions');
SELECT omc_enable_tenant_isolation('dealers');
SELECT omc_enable_tenant_isolation('stations');
SELECT omc_enable_tenant_isolation('users');
SELECT omc_enable_tenant_isolation('user_scopes');
SELECT omc_enable_tenant_isolation('recovery_codes');
SELECT omc_enable_tenant_isolation('mfa_required_roles');
SELECT omc_enable_tenant_isolation('refresh_tokens');
SELECT omc_enable_tenant_isolation('api_keys');

-- A tenant sees its own row; the platform (creating tenants) sees all.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
    USING (omc_tenant_visible(id)) WITH CHECK (omc_tenant_visible(id));
