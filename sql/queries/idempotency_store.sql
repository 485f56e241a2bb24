-- $1 team id, $2 user id, $3 key, $4 request hash, $5 status, $6 response
INSERT INTO idempotency_keys (team_id, user_id, key, request_hash, status, response)
VALUES ($1, $2, $3, $4, $5::integer, $6)
