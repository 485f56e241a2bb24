-- A letter the caller may see: its own, any when the caller sees every member's letters, and
-- those waiting for validation when the caller validates. $1 team id, $2 letter id, $3 caller,
-- $4 sees all ('t'/'f'), $5 validates ('t'/'f')
SELECT letter_json(l), l.status, l.sender_id, l.kind
FROM letters l
WHERE l.team_id = $1 AND l.id = $2
  AND letter_visible(l, $3::uuid, $4::boolean, $5::boolean)
