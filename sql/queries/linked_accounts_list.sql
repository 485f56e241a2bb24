-- The links a company takes part in, as principal or secondary, by the secondary's name.
-- $1 team id. Returns a JSON array
SELECT coalesce(json_agg(json_build_object(
           'id', l.id,
           'role', CASE WHEN l.principal_team_id = $1 THEN 'principal' ELSE 'secondary' END,
           'firm', (SELECT team_ref_json(t) FROM teams t WHERE t.id = l.firm_team_id),
           'principal', (SELECT team_ref_json(t) FROM teams t WHERE t.id = l.principal_team_id),
           'secondary', team_ref_json(s), 'linked_at', l.answered_at)
       ORDER BY lower(s.name), s.id, l.id), '[]')
FROM link_requests l JOIN teams s ON s.id = l.secondary_team_id
WHERE $1 IN (l.principal_team_id, l.secondary_team_id) AND l.status = 'accepted'
