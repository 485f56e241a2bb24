-- Seconds until the next job is due: negative when one is overdue, NULL when none is waiting.
SELECT extract(epoch FROM min(coalesce(leased_until, run_at)) - now())
FROM jobs WHERE state IN ('queued', 'running')
