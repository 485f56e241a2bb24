-- $1 user id, $2 new password hash (a rehash with today's limits)
UPDATE users SET password_hash = $2 WHERE id = $1
