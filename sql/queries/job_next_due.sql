-- Seconds until the next job of a known kind ($1, a text array) is due: negative when one is
-- overdue, NULL when none is waiting.
SELECT extract(epoch FROM min(coalesce(leased_until, run_at)) - now())
FROM jobs WHERE state IN ('queued', 'running') AND kind = ANY ($1::text[])
