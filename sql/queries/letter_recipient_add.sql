-- $1 team id, $2 letter id, $3 position, $4 group id (NULL when given directly), $5 email,
-- $6 last name, $7 first name, $8 company, $9 status, $10 line1, $11 line2, $12 postal code,
-- $13 city, $14 country, $15 dedupe key. A recipient already on the letter is skipped.
INSERT INTO letter_recipients (team_id, letter_id, position, group_id, email, last_name,
                               first_name, company, status, line1, line2, postal_code, city,
                               country, dedupe_key)
VALUES ($1, $2, $3::integer, $4, nullif($5, ''), $6, $7, nullif($8, ''), $9, nullif($10, ''),
        nullif($11, ''), nullif($12, ''), nullif($13, ''), $14, $15)
ON CONFLICT (letter_id, dedupe_key) DO NOTHING
RETURNING id
