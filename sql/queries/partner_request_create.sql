-- $1 firm team id, $2 company team id, $3 requesting user. Returns the id and the request as JSON
INSERT INTO partner_requests (firm_team_id, company_team_id, requested_by) VALUES ($1, $2, $3)
RETURNING id, partner_request_json(partner_requests)
