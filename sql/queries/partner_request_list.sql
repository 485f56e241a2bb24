-- One page of the partner requests a team sent (a firm) or received (a company), newest first.
-- $1 team id, $2 status (NULL: all), $3 cursor (the last id of the previous page, or NULL),
-- $4 page size. Returns the items and the next cursor.
WITH page AS (
    SELECT p.* FROM partner_requests p
    WHERE $1 IN (p.firm_team_id, p.company_team_id)
      AND ($2::text IS NULL OR p.status = $2)
      AND ($3::uuid IS NULL OR (p.created_at, p.id) <
           (SELECT c.created_at, c.id FROM partner_requests c
            WHERE c.id = $3::uuid AND $1 IN (c.firm_team_id, c.company_team_id)))
    ORDER BY p.created_at DESC, p.id DESC
    LIMIT $4::integer + 1),
shown AS (SELECT * FROM page ORDER BY created_at DESC, id DESC LIMIT $4::integer)
SELECT coalesce((SELECT json_agg(partner_request_json(s) ORDER BY s.created_at DESC, s.id DESC)
                 FROM shown s), '[]'),
       CASE WHEN (SELECT count(*) FROM page) > $4::integer
            THEN (SELECT s.id FROM shown s ORDER BY s.created_at, s.id LIMIT 1) END
