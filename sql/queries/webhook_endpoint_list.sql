-- One page of a team's webhook endpoints, oldest first. $1 team id, $2 cursor (the last endpoint
-- id of the previous page, or NULL), $3 page size. Returns the items and the next cursor.
WITH page AS (
    SELECT e.* FROM webhook_endpoints e
    WHERE e.team_id = $1 AND e.deleted_at IS NULL
      AND ($2::uuid IS NULL OR (e.created_at, e.id) >
           (SELECT p.created_at, p.id FROM webhook_endpoints p
            WHERE p.id = $2::uuid AND p.team_id = $1))
    ORDER BY e.created_at, e.id
    LIMIT $3::integer + 1),
shown AS (SELECT * FROM page ORDER BY created_at, id LIMIT $3::integer)
SELECT coalesce((SELECT json_agg(webhook_endpoint_json(s) ORDER BY s.created_at, s.id)
                 FROM shown s), '[]'),
       CASE WHEN (SELECT count(*) FROM page) > $3::integer
            THEN (SELECT s.id FROM shown s ORDER BY s.created_at DESC, s.id DESC LIMIT 1) END
