-- Resolves a live session and records the activity in one statement.
-- $1 token hash, $2 idle lifetime in seconds, $3 step-up window in seconds
-- Returns the session id, the user id, and the end of the step-up window when still open.
UPDATE sessions s SET last_seen_at = now()
WHERE s.token_hash = $1
  AND s.revoked_at IS NULL
  AND s.expires_at > now()
  AND s.last_seen_at > now() - make_interval(secs => $2::integer)
RETURNING s.id, s.user_id,
          CASE WHEN s.step_up_at > now() - make_interval(secs => $3::integer)
               THEN to_json(s.step_up_at + make_interval(secs => $3::integer)) #>> '{}' END
