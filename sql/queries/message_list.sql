-- One page of a mailbox's messages, newest first. $1 mailbox id, $2 folder ('inbox', 'sent' or
-- 'archived'; NULL: inbox and sent), $3 status, $4 assignee (a user id, 'none', or NULL: any),
-- $5 paused ('true': only those paused now; else only those not paused), $6 matter (an id,
-- 'none', or NULL: any), $7 cursor (the last id of the previous page, or NULL), $8 page size.
-- Returns the items and the next cursor.
WITH page AS (
    SELECT g.* FROM messages g
    WHERE g.mailbox_id = $1::uuid
      AND CASE WHEN $2 = 'archived' THEN g.archived
               ELSE NOT g.archived AND ($2 IS NULL OR g.folder = $2) END
      AND ($3::text IS NULL OR g.status = $3)
      AND ($4::text IS NULL
           OR ($4 = 'none' AND g.assignee_user_id IS NULL)
           OR ($4 <> 'none' AND g.assignee_user_id::text = $4))
      AND CASE WHEN $5 = 'true' THEN g.paused_until > now()
               ELSE g.paused_until IS NULL OR g.paused_until <= now() END
      AND ($6::text IS NULL
           OR ($6 = 'none' AND g.matter_id IS NULL)
           OR ($6 <> 'none' AND g.matter_id::text = $6))
      AND ($7::uuid IS NULL OR (g.received_at, g.id) <
           (SELECT c.received_at, c.id FROM messages c WHERE c.id = $7::uuid AND c.mailbox_id = $1::uuid))
    ORDER BY g.received_at DESC, g.id DESC
    LIMIT $8::integer + 1),
shown AS (SELECT * FROM page ORDER BY received_at DESC, id DESC LIMIT $8::integer)
SELECT coalesce((SELECT json_agg(message_json(s) ORDER BY s.received_at DESC, s.id DESC)
                 FROM shown s), '[]'),
       CASE WHEN (SELECT count(*) FROM page) > $8::integer
            THEN (SELECT s.id FROM shown s ORDER BY s.received_at, s.id LIMIT 1) END
