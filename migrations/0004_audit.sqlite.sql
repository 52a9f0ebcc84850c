-- audit_log is append-only: UPDATE and DELETE are refused (SQLite has no TRUNCATE; with a
-- DELETE trigger present, "DELETE FROM audit_log" runs the trigger too).
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused');
END;
