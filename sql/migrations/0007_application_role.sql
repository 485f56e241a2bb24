-- The role the services connect as, when it is not the one that owns the schema: it reads and
-- writes rows, and nothing else. Evidence stays append-only for it: no UPDATE, DELETE or
-- TRUNCATE on proofs and the audit log (their triggers refuse those for everyone else too).
-- Called by `pli migrate` after the migrations, with the role of PLI_DATABASE_URL.
CREATE FUNCTION grant_application_role(app name) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I',
                   app);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', app);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM %I', app);
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON proofs, audit_events FROM %I', app);
END
$$;
