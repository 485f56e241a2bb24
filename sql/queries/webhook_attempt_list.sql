-- One page of an endpoint's delivery log, newest first. $1 team id, $2 endpoint id, $3 cursor
-- (the last attempt id of the previous page, or NULL), $4 page size. Returns the items and the
-- next cursor.
WITH page AS (
    SELECT a.* FROM webhook_attempts a
    WHERE a.team_id = $1 AND a.endpoint_id = $2
      AND ($3::uuid IS NULL OR (a.attempted_at, a.id) <
           (SELECT p.attempted_at, p.id FROM webhook_attempts p
            WHERE p.id = $3::uuid AND p.team_id = $1 AND p.endpoint_id = $2))
    ORDER BY a.attempted_at DESC, a.id DESC
    LIMIT $4::integer + 1),
shown AS (SELECT * FROM page ORDER BY attempted_at DESC, id DESC LIMIT $4::integer)
SELECT coalesce((SELECT json_agg(webhook_attempt_json(s::webhook_attempts)
                                 ORDER BY s.attempted_at DESC, s.id DESC) FROM shown s), '[]'),
       CASE WHEN (SELECT count(*) FROM page) > $4::integer
            THEN (SELECT s.id FROM shown s ORDER BY s.attempted_at, s.id LIMIT 1) END
