-- One definition of "this row is visible to the transaction", used by every tenant-owned table's
-- row-level-security policy, and one call that puts a table behind it. A new tenant-owned table
-- needs a single line in its migration:
--     SELECT omc_enable_tenant_isolation('stations');

-- A row is visible when it belongs to the tenant the transaction set (SET LOCAL app.tenant_id),
-- or when platform work that spans tenants set app.system = 'on'. A simple SQL function the
-- planner inlines, so the policy stays an indexable comparison on tenant_id.
CREATE FUNCTION omc_tenant_visible(row_tenant uuid) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
        SELECT row_tenant = NULLIF(current_setting('app.tenant_id', true), '')::uuid
            OR current_setting('app.system', true) = 'on'
    $$;

-- Enables and forces RLS on `target` (FORCE: the owning role, which the application uses, is
-- subject to it too) and attaches the tenant_isolation policy.
CREATE FUNCTION omc_enable_tenant_isolation(target regclass) RETURNS void
    LANGUAGE plpgsql
    AS $$
    BEGIN
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
        EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
        EXECUTE format('CREATE POLICY tenant_isolation ON %s USING (omc_tenant_visible(tenant_id)) '
                       'WITH CHECK (omc_tenant_visible(tenant_id))', target);
    END
    $$;

-- The two tables made before the helpers existed now use the shared definition.
ALTER POLICY tenant_isolation ON idempotency_keys
    USING (omc_tenant_visible(tenant_id)) WITH CHECK (omc_tenant_visible(tenant_id));
ALTER POLICY tenant_isolation ON outbox_events
    USING (omc_tenant_visible(tenant_id)) WITH CHECK (omc_tenant_visible(tenant_id));
