-- $1 team id, $2 endpoint id (deleted ones are not found)
SELECT webhook_endpoint_json(e) FROM webhook_endpoints e
WHERE e.team_id = $1 AND e.id = $2 AND e.deleted_at IS NULL
