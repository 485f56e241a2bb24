-- $1 team id, $2 group id, $3 contact id
DELETE FROM contacts WHERE team_id = $1 AND group_id = $2 AND id = $3 RETURNING id
