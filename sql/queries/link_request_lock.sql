-- Locks a link request. $1 request id. Columns: principal team id, status, firm team id,
-- secondary team id
SELECT principal_team_id, status, firm_team_id, secondary_team_id
FROM link_requests WHERE id = $1 FOR UPDATE
