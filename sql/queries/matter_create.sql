-- $1 team id, $2 reference, $3 name, $4 manager user id, $5 client group id (NULL: none).
-- Returns the id and the matter as JSON
INSERT INTO matters (team_id, reference, name, manager_user_id, client_group_id)
VALUES ($1, $2, $3, $4, $5)
RETURNING id, matter_json(matters)
