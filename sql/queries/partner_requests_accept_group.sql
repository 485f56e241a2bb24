-- Accepts, for a principal company, the firm's pending partner requests with the whole group:
-- the principal and every secondary linked to it through that firm.
-- $1 firm team id, $2 principal team id, $3 answering user. Returns the ids accepted
UPDATE partner_requests p SET status = 'accepted', answered_by = $3, answered_at = now()
WHERE p.firm_team_id = $1 AND p.status = 'pending'
  AND (p.company_team_id = $2
       OR p.company_team_id IN (SELECT l.secondary_team_id FROM link_requests l
                                WHERE l.firm_team_id = $1 AND l.principal_team_id = $2
                                  AND l.status = 'accepted'))
RETURNING p.id, p.company_team_id
