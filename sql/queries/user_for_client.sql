-- The account of an e-mail, if any. $1 e-mail. Columns: user id, whether it has a password
SELECT id, password_hash IS NOT NULL FROM users WHERE email = $1
