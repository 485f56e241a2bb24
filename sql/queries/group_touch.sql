-- Marks a group as changed and locks it for the rest of the transaction. $1 team id, $2 group id
UPDATE groups SET updated_at = now() WHERE team_id = $1 AND id = $2 RETURNING id
