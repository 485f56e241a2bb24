-- The mailboxes a member sees: all of the team with mailboxes.manage ($3 true), else those it
-- owns or that are shared with it. $1 team id, $2 user id. Returns a JSON array
SELECT coalesce(json_agg(mailbox_json(b) ORDER BY b.address), '[]')
FROM mailboxes b
WHERE b.team_id = $1
  AND ($3::boolean OR b.owner_user_id = $2
       OR EXISTS (SELECT 1 FROM mailbox_grants g WHERE g.mailbox_id = b.id AND g.user_id = $2))
