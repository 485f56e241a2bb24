-- Locks the two client records a link request names, always in the same order, so that two
-- requests on a shared record run one after the other. $1 firm team id, $2 and $3 client ids.
-- Columns: client id, company team id
SELECT id, company_team_id FROM clients
WHERE firm_team_id = $1 AND id IN ($2::uuid, $3::uuid)
ORDER BY id
FOR UPDATE
