-- Drops sessions that can no longer be used. $1 idle lifetime in seconds
DELETE FROM sessions
WHERE expires_at < now()
   OR revoked_at IS NOT NULL
   OR last_seen_at < now() - make_interval(secs => $1::integer)
