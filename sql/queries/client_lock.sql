-- Locks a client record for a change. $1 firm team id, $2 client id. Columns: e-mail, company
-- team id, the record as JSON, whether the company space still waits for its administrator
SELECT c.email, c.company_team_id, client_json(c), t.administrator_id IS NULL
FROM clients c JOIN teams t ON t.id = c.company_team_id
WHERE c.firm_team_id = $1 AND c.id = $2
FOR UPDATE OF c
