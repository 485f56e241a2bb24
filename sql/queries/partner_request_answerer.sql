-- The team that answers a partner request (the company). $1 request id
SELECT company_team_id FROM partner_requests WHERE id = $1::uuid
