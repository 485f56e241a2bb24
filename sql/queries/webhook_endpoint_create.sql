-- Registers a webhook endpoint unless the team already has $7 of them (no row then; lock the
-- team first). $1 team id, $2 URL, $3 description, $4 event types (text array), $5 the sealed
-- secret, $6 creator, $7 the most endpoints a team may have. Columns: id, the endpoint as JSON
INSERT INTO webhook_endpoints (team_id, url, description, events, secret_sealed, created_by)
SELECT $1::uuid, $2, $3, $4::text[], $5, $6::uuid
WHERE (SELECT count(*) FROM webhook_endpoints e
       WHERE e.team_id = $1::uuid AND e.deleted_at IS NULL) < $7::integer
RETURNING id, webhook_endpoint_json(webhook_endpoints)
