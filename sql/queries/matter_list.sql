-- One page of an office's matters by reference. $1 team id, $2 cursor (the last matter id of
-- the previous page, or NULL), $3 page size. Returns the items and the next cursor.
WITH page AS (
    SELECT m.* FROM matters m
    WHERE m.team_id = $1
      AND ($2::uuid IS NULL OR (lower(m.reference), m.id) >
           (SELECT lower(p.reference), p.id FROM matters p WHERE p.id = $2::uuid AND p.team_id = $1))
    ORDER BY lower(m.reference), m.id
    LIMIT $3::integer + 1),
shown AS (SELECT * FROM page ORDER BY lower(reference), id LIMIT $3::integer)
SELECT coalesce((SELECT json_agg(matter_json(s) ORDER BY lower(s.reference), s.id) FROM shown s),
                '[]'),
       CASE WHEN (SELECT count(*) FROM page) > $3::integer
            THEN (SELECT s.id FROM shown s ORDER BY lower(s.reference) DESC, s.id DESC LIMIT 1) END
