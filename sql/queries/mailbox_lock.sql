-- Locks a mailbox for a change. $1 team id, $2 mailbox id. Columns: the mailbox as JSON, owner
SELECT mailbox_json(b), b.owner_user_id FROM mailboxes b
WHERE b.team_id = $1 AND b.id = $2::uuid FOR UPDATE
