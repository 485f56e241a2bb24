-- One page of the link requests a team takes part in (the firm that filed them, the principal
-- that answers them, the secondary they concern), newest first. $1 team id, $2 status (NULL:
-- all), $3 cursor (the last id of the previous page, or NULL), $4 page size.
-- Returns the items and the next cursor.
WITH page AS (
    SELECT l.* FROM link_requests l
    WHERE $1 IN (l.firm_team_id, l.principal_team_id, l.secondary_team_id)
      AND ($2::text IS NULL OR l.status = $2)
      AND ($3::uuid IS NULL OR (l.created_at, l.id) <
           (SELECT c.created_at, c.id FROM link_requests c
            WHERE c.id = $3::uuid
              AND $1 IN (c.firm_team_id, c.principal_team_id, c.secondary_team_id)))
    ORDER BY l.created_at DESC, l.id DESC
    LIMIT $4::integer + 1),
shown AS (SELECT * FROM page ORDER BY created_at DESC, id DESC LIMIT $4::integer)
SELECT coalesce((SELECT json_agg(link_request_json(s) ORDER BY s.created_at DESC, s.id DESC)
                 FROM shown s), '[]'),
       CASE WHEN (SELECT count(*) FROM page) > $4::integer
            THEN (SELECT s.id FROM shown s ORDER BY s.created_at, s.id LIMIT 1) END
