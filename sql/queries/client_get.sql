-- $1 firm team id, $2 client id. Returns the record as JSON
SELECT client_json(c) FROM clients c WHERE c.firm_team_id = $1 AND c.id = $2
