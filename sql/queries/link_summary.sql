-- The accounts a principal gathers through a firm once its open requests are accepted: the
-- principal first, then its secondaries by name. $1 firm team id, $2 principal client id.
-- Returns a JSON array
WITH principal AS (
    SELECT c.* FROM clients c WHERE c.firm_team_id = $1 AND c.id = $2),
members AS (
    SELECT 'principal' AS role, 0 AS rank, p.id, p.company_name, p.company_team_id,
           NULL::text AS status
    FROM principal p
    UNION ALL
    SELECT 'secondary', 1, c.id, c.company_name, c.company_team_id, l.status
    FROM link_requests l JOIN clients c ON c.id = l.secondary_client_id
    WHERE l.firm_team_id = $1 AND l.principal_client_id = $2
      AND l.status IN ('pending', 'accepted'))
SELECT coalesce(json_agg(json_build_object(
           'role', m.role, 'client_id', m.id, 'company_name', m.company_name,
           'company', (SELECT team_ref_json(t) FROM teams t WHERE t.id = m.company_team_id),
           'link_status', m.status)
       ORDER BY m.rank, lower(m.company_name), m.id), '[]')
FROM members m
