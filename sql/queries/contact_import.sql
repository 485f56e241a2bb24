-- Writes a batch of contacts in one statement; those already in the group are left alone.
-- $1 team id, $2 group id, $3 the contacts as a JSON array of objects with the columns below.
-- Returns how many were added.
WITH added AS (
    INSERT INTO contacts (team_id, group_id, email, last_name, first_name, company, status,
                          line1, line2, postal_code, city, country, dedupe_key)
    SELECT $1, $2, nullif(x.email, ''), x.last_name, x.first_name, nullif(x.company, ''),
           x.status, nullif(x.line1, ''), nullif(x.line2, ''), nullif(x.postal_code, ''),
           nullif(x.city, ''), x.country, x.dedupe_key
    FROM json_to_recordset($3::json) AS x (email text, last_name text, first_name text,
         company text, status text, line1 text, line2 text, postal_code text, city text,
         country text, dedupe_key text)
    ON CONFLICT (group_id, dedupe_key) DO NOTHING
    RETURNING 1)
SELECT count(*) FROM added
