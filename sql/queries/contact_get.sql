-- $1 team id, $2 group id, $3 contact id
SELECT contact_json(c) FROM contacts c WHERE c.team_id = $1 AND c.group_id = $2 AND c.id = $3
