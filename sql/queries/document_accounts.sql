-- The accounts whose documents a team reads, by name, with how many each has. $1 team id.
-- Returns a JSON array
SELECT coalesce(json_agg(json_build_object('id', a.id, 'name', a.name, 'documents', a.n)
                         ORDER BY lower(a.name), a.id), '[]')
FROM (SELECT t.id, t.name, count(*) AS n
      FROM documents d JOIN teams t ON t.id = d.company_team_id
      WHERE document_readable($1, d.firm_team_id, d.company_team_id)
      GROUP BY t.id, t.name) a
