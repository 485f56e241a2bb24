-- Deletes a mailbox that archived nothing (an archive is never thrown away with its settings).
-- $1 team id, $2 mailbox id. Returns the mailbox as JSON (no row when it has messages)
DELETE FROM mailboxes b
WHERE b.team_id = $1 AND b.id = $2::uuid
  AND NOT EXISTS (SELECT 1 FROM messages g WHERE g.mailbox_id = b.id)
RETURNING mailbox_json(b)
