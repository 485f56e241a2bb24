-- A team's charges in a month (French time), oldest first, after a cursor. $1 team id, $2 the
-- month's first day, $3 the last charge id of the previous page (or NULL), $4 page size
SELECT charge_json(c)
FROM charges c
WHERE c.team_id = $1::uuid
  AND c.charged_at >= ($2::date::timestamp AT TIME ZONE 'Europe/Paris')
  AND c.charged_at < (($2::date + interval '1 month')::timestamp AT TIME ZONE 'Europe/Paris')
  AND ($3::uuid IS NULL
       OR (c.charged_at, c.id) > (SELECT p.charged_at, p.id FROM charges p
                                  WHERE p.id = $3::uuid AND p.team_id = $1::uuid))
ORDER BY c.charged_at, c.id
LIMIT $4::integer
