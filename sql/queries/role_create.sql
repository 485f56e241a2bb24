-- $1 team id, $2 name, $3 permissions (text array)
INSERT INTO roles (team_id, name, permissions) VALUES ($1, $2, $3::text[])
RETURNING role_json(roles), id
