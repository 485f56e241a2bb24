-- $1 firm team id, $2 client id. Returns the company team id
SELECT company_team_id FROM clients WHERE firm_team_id = $1 AND id = $2
