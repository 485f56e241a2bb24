-- $1 user id
SELECT user_json(u) FROM users u WHERE u.id = $1
