-- $1 firm team id, $2 secondary client id, $3 principal client id, $4 secondary team id,
-- $5 principal team id, $6 requesting user. Returns the id and the request as JSON
INSERT INTO link_requests (firm_team_id, secondary_client_id, principal_client_id,
                           secondary_team_id, principal_team_id, requested_by)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING id, link_request_json(link_requests)
