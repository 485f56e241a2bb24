-- Which of these unique ids the mailbox already archived. $1 mailbox id, $2 JSON array of ids.
-- Columns: uidl, whether its bytes are archived (a message over the size cap is not)
SELECT g.uidl, g.raw_sha256 IS NOT NULL FROM messages g
WHERE g.mailbox_id = $1::uuid
  AND g.uidl IN (SELECT jsonb_array_elements_text($2::jsonb))
