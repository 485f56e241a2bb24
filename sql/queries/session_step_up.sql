-- Opens the step-up window of a session. $1 session id
UPDATE sessions SET step_up_at = now() WHERE id = $1 AND revoked_at IS NULL
