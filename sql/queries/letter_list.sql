-- One page of a team's letters, newest first. $1 team id, $2 caller, $3 whether the caller sees
-- every member's letters (or, with $13, those waiting for validation), $4 status, $5 sender, $6 recipient (e-mail or last name),
-- $7 created from, $8 created before, $9 reference, $10 subject pattern (ILIKE, escaped),
-- $11 cursor (the last id of the previous page), $12 page size, $13 validates. NULL filters
-- are off.
WITH page AS (
    SELECT l.* FROM letters l
    WHERE l.team_id = $1
      AND letter_visible(l, $2::uuid, $3::boolean, $13::boolean)
      AND ($4::text IS NULL OR l.status = $4)
      AND ($5::uuid IS NULL OR l.sender_id = $5::uuid)
      AND ($6::text IS NULL OR EXISTS (
              SELECT 1 FROM letter_recipients r
              WHERE r.letter_id = l.id AND r.team_id = $1
                AND (r.email = lower($6) OR lower(r.last_name) = lower($6))))
      AND ($7::timestamptz IS NULL OR l.created_at >= $7::timestamptz)
      AND ($8::timestamptz IS NULL OR l.created_at < $8::timestamptz)
      AND ($9::text IS NULL OR lower(l.reference) = lower($9))
      AND ($10::text IS NULL OR l.subject ILIKE $10)
      AND ($11::uuid IS NULL OR (l.created_at, l.id) <
           (SELECT c.created_at, c.id FROM letters c WHERE c.id = $11::uuid AND c.team_id = $1))
    ORDER BY l.created_at DESC, l.id DESC
    LIMIT $12::integer + 1),
shown AS (SELECT * FROM page ORDER BY created_at DESC, id DESC LIMIT $12::integer)
SELECT coalesce((SELECT json_agg(letter_summary_json(s) ORDER BY s.created_at DESC, s.id DESC)
                 FROM shown s), '[]'),
       CASE WHEN (SELECT count(*) FROM page) > $12::integer
            THEN (SELECT s.id FROM shown s ORDER BY s.created_at, s.id LIMIT 1) END
