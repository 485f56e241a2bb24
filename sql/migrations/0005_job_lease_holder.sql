-- The database session (backend pid) of the runner that claimed a running job. A runner that
-- dies loses its session at once: its job is then taken over without waiting for the lease.
ALTER TABLE jobs ADD COLUMN leased_by integer;
