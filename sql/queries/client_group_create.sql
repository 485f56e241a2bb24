-- $1 team id, $2 name, $3 e-mail (or NULL). Returns the group as JSON
INSERT INTO client_groups (team_id, name, email) VALUES ($1, $2, $3)
RETURNING client_group_json(client_groups)
