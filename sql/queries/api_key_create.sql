-- $1 user id, $2 name, $3 token hash
INSERT INTO api_keys (user_id, name, token_hash) VALUES ($1, $2, $3)
RETURNING json_build_object('id', id, 'name', name, 'created_at', created_at)
