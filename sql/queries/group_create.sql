-- $1 team id, $2 name, $3 creator
INSERT INTO groups (team_id, name, created_by) VALUES ($1, $2, $3)
RETURNING group_json(groups)
