-- $1 user id
SELECT u.email, u.password_hash FROM users u WHERE u.id = $1
