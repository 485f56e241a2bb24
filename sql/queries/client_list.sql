-- One page of a firm's client records by company name. $1 firm team id, $2 cursor (the last
-- client id of the previous page, or NULL), $3 page size. Returns the items and the next cursor.
WITH page AS (
    SELECT c.* FROM clients c
    WHERE c.firm_team_id = $1
      AND ($2::uuid IS NULL OR (lower(c.company_name), c.id) >
           (SELECT lower(p.company_name), p.id FROM clients p
            WHERE p.id = $2::uuid AND p.firm_team_id = $1))
    ORDER BY lower(c.company_name), c.id
    LIMIT $3::integer + 1),
shown AS (SELECT * FROM page ORDER BY lower(company_name), id LIMIT $3::integer)
SELECT coalesce((SELECT json_agg(client_json(s) ORDER BY lower(s.company_name), s.id)
                 FROM shown s), '[]'),
       CASE WHEN (SELECT count(*) FROM page) > $3::integer
            THEN (SELECT s.id FROM shown s ORDER BY lower(s.company_name) DESC, s.id DESC
                  LIMIT 1) END
