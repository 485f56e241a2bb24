-- The team that answers a link request (the principal company). $1 request id
SELECT principal_team_id FROM link_requests WHERE id = $1::uuid
