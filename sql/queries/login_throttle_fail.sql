-- Counts a failed attempt; the $2-th failure within $3 seconds locks the e-mail for $3 seconds.
-- $1 email, $2 failures allowed, $3 window and lock length in seconds
INSERT INTO login_throttle AS t (email, failures, window_started_at)
VALUES ($1, 1, now())
ON CONFLICT (email) DO UPDATE SET
    failures = CASE
        WHEN t.window_started_at < now() - make_interval(secs => $3::integer) THEN 1
        WHEN t.failures + 1 >= $2::integer THEN 0
        ELSE t.failures + 1 END,
    window_started_at = CASE
        WHEN t.window_started_at < now() - make_interval(secs => $3::integer) THEN now()
        ELSE t.window_started_at END,
    locked_until = CASE
        WHEN t.window_started_at >= now() - make_interval(secs => $3::integer)
             AND t.failures + 1 >= $2::integer
        THEN now() + make_interval(secs => $3::integer)
        ELSE t.locked_until END
