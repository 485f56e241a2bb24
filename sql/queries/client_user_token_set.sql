-- $1 client user id, $2 hash of its welcome token. Returns the client user as JSON
UPDATE client_users c SET token_hash = $2 WHERE c.id = $1 RETURNING client_user_json(c)
