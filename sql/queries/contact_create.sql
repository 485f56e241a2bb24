-- $1 team id, $2 group id, $3 email, $4 last name, $5 first name, $6 company, $7 status,
-- $8 line1, $9 line2, $10 postal code, $11 city, $12 country, $13 dedupe key
INSERT INTO contacts (team_id, group_id, email, last_name, first_name, company, status, line1,
                      line2, postal_code, city, country, dedupe_key)
VALUES ($1, $2, nullif($3, ''), $4, $5, nullif($6, ''), $7, nullif($8, ''), nullif($9, ''),
        nullif($10, ''), nullif($11, ''), $12, $13)
RETURNING contact_json(contacts)
