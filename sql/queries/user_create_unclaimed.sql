-- An account without a password yet (a client user who will set it through the welcome link).
-- $1 e-mail, $2 first name, $3 last name. Returns the id
INSERT INTO users (email, first_name, last_name) VALUES ($1, $2, $3) RETURNING id
