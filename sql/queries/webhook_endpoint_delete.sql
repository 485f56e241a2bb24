-- Deletes a webhook endpoint: nothing more is sent to it, and its messages not yet delivered are
-- cancelled. $1 team id, $2 endpoint id. Columns: the endpoint as JSON (before), messages
-- cancelled
WITH gone AS (
    UPDATE webhook_endpoints SET deleted_at = now()
    WHERE team_id = $1::uuid AND id = $2::uuid AND deleted_at IS NULL
    RETURNING *),
cancelled AS (
    UPDATE webhook_messages m SET status = 'cancelled', finished_at = now()
    WHERE m.endpoint_id = (SELECT id FROM gone) AND m.status = 'pending'
    RETURNING m.id)
SELECT webhook_endpoint_json(g::webhook_endpoints), (SELECT count(*) FROM cancelled) FROM gone g
