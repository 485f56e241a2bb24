-- $1 user id, $2 token hash, $3 absolute lifetime in seconds
INSERT INTO sessions (user_id, token_hash, expires_at)
VALUES ($1, $2, now() + make_interval(secs => $3::integer))
RETURNING id
