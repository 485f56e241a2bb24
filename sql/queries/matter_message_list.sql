-- One page of the messages client users wrote about a matter, newest first. $1 team id,
-- $2 matter id, $3 cursor (the last id of the previous page, or NULL), $4 page size.
-- Returns the items and the next cursor.
WITH page AS (
    SELECT g.* FROM matter_messages g
    WHERE g.team_id = $1 AND g.matter_id = $2
      AND ($3::uuid IS NULL OR (g.created_at, g.id) <
           (SELECT c.created_at, c.id FROM matter_messages c WHERE c.id = $3::uuid AND c.matter_id = $2))
    ORDER BY g.created_at DESC, g.id DESC
    LIMIT $4::integer + 1),
shown AS (SELECT * FROM page ORDER BY created_at DESC, id DESC LIMIT $4::integer)
SELECT coalesce((SELECT json_agg(json_build_object(
                     'id', s.id, 'matter_id', s.matter_id, 'subject', s.subject, 'body', s.body,
                     'sent_by', s.sent_by, 'created_at', s.created_at)
                     ORDER BY s.created_at DESC, s.id DESC) FROM shown s), '[]'),
       CASE WHEN (SELECT count(*) FROM page) > $4::integer
            THEN (SELECT s.id FROM shown s ORDER BY s.created_at, s.id LIMIT 1) END
