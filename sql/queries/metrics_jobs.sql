-- Open jobs by kind and state, for GET /metrics: kind, state, how many, and for queued jobs the
-- age in seconds of the oldest one due (0 when none is due yet; NULL for other states).
SELECT kind, state, count(*),
       CASE WHEN state = 'queued'
            THEN coalesce(extract(epoch FROM now() - min(run_at) FILTER (WHERE run_at <= now())),
                          0)::numeric(20, 3)
       END
FROM jobs
WHERE state IN ('queued', 'running', 'dead')
GROUP BY kind, state
ORDER BY kind, state
