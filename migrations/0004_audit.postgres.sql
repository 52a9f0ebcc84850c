-- audit_log is append-only, for the application's role too (it owns the table, so privileges
-- alone could not stop it): a row trigger refuses UPDATE and DELETE, a statement trigger
-- TRUNCATE. Disabling the triggers takes the table owner and an ALTER TABLE, which is outside
-- anything the application does; the hash chain still shows such an edit.
CREATE FUNCTION omc_audit_log_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
    END
    $$;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION omc_audit_log_append_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION omc_audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION omc_audit_log_append_only();

SELECT omc_enable_tenant_isolation('audit_log');
SELECT omc_enable_tenant_isolation('audit_chain_heads');
