-- Takes the oldest job of a kind this runner knows ($2, a text array) that is due, or whose
-- lease ran out, or whose runner's database session is gone (the runner died), for $1 seconds.
-- Jobs of other kinds wait for a runner that knows them.
UPDATE jobs SET state = 'running', attempts = attempts + 1,
                leased_until = now() + make_interval(secs => $1::integer),
                leased_by = pg_backend_pid()
WHERE id = (
    SELECT id FROM jobs
    WHERE kind = ANY ($2::text[])
      AND ((state = 'queued' AND run_at <= now())
           OR (state = 'running' AND leased_until < now())
           OR (state = 'running' AND leased_by IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = jobs.leased_by)))
    ORDER BY run_at, id
    LIMIT 1
    FOR UPDATE SKIP LOCKED)
RETURNING id, kind, payload, attempts, max_attempts
