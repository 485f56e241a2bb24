-- $1 firm team id, $2 company team id, $3 company name, $4 e-mail, $5 creator. Returns the id
-- and the record as JSON.
INSERT INTO clients (firm_team_id, company_team_id, company_name, email, created_by)
VALUES ($1, $2, $3, $4, $5)
RETURNING id, client_json(clients)
