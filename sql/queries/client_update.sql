-- $1 firm team id, $2 client id, $3 company name (NULL: unchanged), $4 e-mail (NULL: unchanged).
-- Returns the record as JSON
UPDATE clients c SET company_name = coalesce($3, c.company_name), email = coalesce($4, c.email),
                     updated_at = now()
WHERE c.firm_team_id = $1 AND c.id = $2
RETURNING client_json(c)
