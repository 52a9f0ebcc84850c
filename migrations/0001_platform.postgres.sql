-- Row-level security: the second wall behind the tenant filter every store query writes out.
-- A transaction sees a tenant's rows only when it has SET LOCAL app.tenant_id to that tenant;
-- platform work that spans tenants (sweeps, the outbox relay) sets app.system = 'on'.
-- FORCE applies the policy to the table owner too (the application's own role).
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON idempotency_keys
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
           OR current_setting('app.system', true) = 'on')
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
                OR current_setting('app.system', true) = 'on');
