-- $1 request id, $2 'accepted' or 'refused', $3 answering user. Returns the request as JSON
UPDATE partner_requests p SET status = $2, answered_by = $3, answered_at = now()
WHERE p.id = $1 AND p.status = 'pending'
RETURNING partner_request_json(p)
