-- A team's partners: the other side of each accepted request, by name. $1 team id.
-- Returns a JSON array
SELECT coalesce(json_agg(json_build_object(
           'team', json_build_object('id', t.id, 'name', t.name, 'kind', t.kind),
           'request_id', p.id, 'since', p.answered_at)
       ORDER BY lower(t.name), t.id), '[]')
FROM partner_requests p
JOIN teams t ON t.id = CASE WHEN p.firm_team_id = $1 THEN p.company_team_id
                            ELSE p.firm_team_id END
WHERE $1 IN (p.firm_team_id, p.company_team_id) AND p.status = 'accepted'
