-- One page of a group's contacts by name. $1 team id, $2 group id, $3 cursor (the last
-- contact id of the previous page, or NULL), $4 page size. Returns the items and the next cursor.
WITH page AS (
    SELECT c.* FROM contacts c
    WHERE c.team_id = $1 AND c.group_id = $2
      AND ($3::uuid IS NULL OR (lower(c.last_name), lower(c.first_name), c.id) >
           (SELECT lower(p.last_name), lower(p.first_name), p.id FROM contacts p
            WHERE p.id = $3::uuid AND p.group_id = $2))
    ORDER BY lower(c.last_name), lower(c.first_name), c.id
    LIMIT $4::integer + 1),
shown AS (SELECT * FROM page ORDER BY lower(last_name), lower(first_name), id LIMIT $4::integer)
SELECT coalesce((SELECT json_agg(contact_json(s) ORDER BY lower(s.last_name), lower(s.first_name), s.id)
                 FROM shown s), '[]'),
       CASE WHEN (SELECT count(*) FROM page) > $4::integer
            THEN (SELECT s.id FROM shown s
                  ORDER BY lower(s.last_name) DESC, lower(s.first_name) DESC, s.id DESC LIMIT 1) END
