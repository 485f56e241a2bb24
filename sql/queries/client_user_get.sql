-- $1 client user id. Returns the client user as JSON
SELECT client_user_json(c) FROM client_users c WHERE c.id = $1
