-- Seconds until the next job is due (NULL when the queue is empty).
SELECT greatest(0, extract(epoch FROM min(coalesce(leased_until, run_at)) - now()))
FROM jobs WHERE state IN ('queued', 'running')
