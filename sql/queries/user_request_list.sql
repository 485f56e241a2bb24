-- One page of a matter's user requests, newest first. $1 team id, $2 matter id, $3 cursor (the
-- last id of the previous page, or NULL), $4 page size. Returns the items and the next cursor.
WITH page AS (
    SELECT r.* FROM user_requests r
    WHERE r.team_id = $1 AND r.matter_id = $2
      AND ($3::uuid IS NULL OR (r.created_at, r.id) <
           (SELECT c.created_at, c.id FROM user_requests c WHERE c.id = $3::uuid AND c.matter_id = $2))
    ORDER BY r.created_at DESC, r.id DESC
    LIMIT $4::integer + 1),
shown AS (SELECT * FROM page ORDER BY created_at DESC, id DESC LIMIT $4::integer)
SELECT coalesce((SELECT json_agg(json_build_object(
                     'id', s.id, 'matter_id', s.matter_id, 'email', s.email,
                     'first_name', s.first_name, 'last_name', s.last_name, 'note', s.note,
                     'requested_by', s.requested_by, 'created_at', s.created_at)
                     ORDER BY s.created_at DESC, s.id DESC) FROM shown s), '[]'),
       CASE WHEN (SELECT count(*) FROM page) > $4::integer
            THEN (SELECT s.id FROM shown s ORDER BY s.created_at, s.id LIMIT 1) END
