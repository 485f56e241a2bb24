-- $1 email (lower case), $2 password hash, $3 first name, $4 last name
INSERT INTO users (email, password_hash, first_name, last_name)
VALUES ($1, $2, $3, $4)
RETURNING id, user_json(users)
