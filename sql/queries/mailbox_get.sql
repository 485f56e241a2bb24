-- A mailbox as a member sees it. $1 team id, $2 mailbox id, $3 user id, $4 whether the member
-- holds mailboxes.manage. Columns: the mailbox as JSON, whether the member reads its messages,
-- whether it manages it (owner or mailboxes.manage)
SELECT mailbox_json(b), mailbox_readable(b.id, $3), b.owner_user_id = $3 OR $4::boolean
FROM mailboxes b
WHERE b.team_id = $1 AND b.id = $2::uuid
  AND ($4::boolean OR mailbox_readable(b.id, $3))
