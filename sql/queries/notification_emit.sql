-- $1 team id, $2 type, $3 matter id (or NULL), $4 subject, $5 body. Returns the notification id
-- (NULL when the team is not an office)
SELECT emit_notification($1::uuid, $2, $3::uuid, $4, $5)
