-- $1 team id, $2 group id, $3 name
UPDATE groups SET name = $3, updated_at = now() WHERE team_id = $1 AND id = $2
RETURNING group_json(groups)
