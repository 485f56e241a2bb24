-- Ends a link, from the principal's side or the secondary's. $1 team id, $2 link id,
-- $3 user. Returns the link request as JSON
UPDATE link_requests l SET status = 'unlinked', unlinked_by = $3, unlinked_at = now()
WHERE l.id = $2 AND l.status = 'accepted' AND $1 IN (l.principal_team_id, l.secondary_team_id)
RETURNING link_request_json(l)
