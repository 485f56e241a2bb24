-- Deletes a group with its contacts. $1 team id, $2 group id
DELETE FROM groups WHERE team_id = $1 AND id = $2 RETURNING id
