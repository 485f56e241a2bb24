-- $1 request id, $2 'accepted' or 'refused', $3 answering user, $4 accept_group (NULL when
-- refused). Returns the request as JSON
UPDATE link_requests l SET status = $2, answered_by = $3, answered_at = now(),
                           accept_group = $4::boolean
WHERE l.id = $1 AND l.status = 'pending'
RETURNING link_request_json(l)
