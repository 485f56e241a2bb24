-- A stored answer for this key, if any. $1 team id, $2 user id, $3 key
SELECT request_hash, status, response FROM idempotency_keys
WHERE team_id = $1 AND user_id = $2 AND key = $3
