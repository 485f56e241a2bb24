-- The open request between a firm and a company. $1 firm team id, $2 company team id.
-- Columns: status ('pending' or 'accepted')
SELECT status FROM partner_requests
WHERE firm_team_id = $1 AND company_team_id = $2 AND status IN ('pending', 'accepted')
