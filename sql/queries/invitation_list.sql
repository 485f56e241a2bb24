-- One page of a team's invitations, newest first, optionally of one status.
-- $1 team id, $2 status (NULL: all), $3 cursor (the last id of the previous page, or NULL),
-- $4 page size. Returns the items and the id to continue after (NULL at the end).
WITH page AS (
    SELECT i.* FROM invitations i
    WHERE i.team_id = $1
      AND ($2::text IS NULL OR $2 = CASE WHEN i.status = 'pending' AND i.expires_at <= now()
                                         THEN 'expired' ELSE i.status END)
      AND ($3::uuid IS NULL OR (i.created_at, i.id) <
           (SELECT c.created_at, c.id FROM invitations c WHERE c.id = $3::uuid AND c.team_id = $1))
    ORDER BY i.created_at DESC, i.id DESC
    LIMIT $4::integer + 1),
shown AS (SELECT * FROM page ORDER BY created_at DESC, id DESC LIMIT $4::integer)
SELECT coalesce((SELECT json_agg(invitation_json(s) ORDER BY s.created_at DESC, s.id DESC)
                 FROM shown s), '[]'),
       CASE WHEN (SELECT count(*) FROM page) > $4::integer
            THEN (SELECT s.id FROM shown s ORDER BY s.created_at, s.id LIMIT 1) END
