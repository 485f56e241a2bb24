-- Resolves a live session and records activity at most once a minute, so that most requests
-- only read. $1 token hash, $2 idle lifetime in seconds, $3 step-up window in seconds.
-- Returns the session id, the user id, and the end of the step-up window when still open.
WITH live AS (
    SELECT s.id, s.user_id, s.step_up_at, s.last_seen_at FROM sessions s
    WHERE s.token_hash = $1
      AND s.revoked_at IS NULL
      AND s.expires_at > now()
      AND s.last_seen_at > now() - make_interval(secs => $2::integer)),
touched AS (
    UPDATE sessions t SET last_seen_at = now()
    FROM live WHERE t.id = live.id AND live.last_seen_at < now() - interval '60 seconds'
    RETURNING t.id)
SELECT live.id, live.user_id,
       CASE WHEN live.step_up_at > now() - make_interval(secs => $3::integer)
            THEN to_json(live.step_up_at + make_interval(secs => $3::integer)) #>> '{}' END
FROM live
