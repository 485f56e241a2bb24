-- $1 email (lower case)
SELECT u.id, u.password_hash, user_json(u) FROM users u WHERE u.email = $1
