-- The firm's other client records with this e-mail: the accounts a link could join.
-- $1 firm team id, $2 client id, $3 e-mail. Returns a JSON array
SELECT coalesce(json_agg(json_build_object(
           'client_id', c.id, 'company_name', c.company_name,
           'company', (SELECT team_ref_json(t) FROM teams t WHERE t.id = c.company_team_id))
       ORDER BY lower(c.company_name), c.id), '[]')
FROM clients c
WHERE c.firm_team_id = $1 AND c.email = $3 AND c.id <> $2
