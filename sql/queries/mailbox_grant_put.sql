-- Shares a mailbox with a member of its team. $1 team id, $2 mailbox id, $3 user id,
-- $4 granting user. One row when the user is a member (the grant exists afterwards)
INSERT INTO mailbox_grants (mailbox_id, team_id, user_id, granted_by)
SELECT $2::uuid, $1, $3::uuid, $4 FROM memberships m WHERE m.team_id = $1 AND m.user_id = $3::uuid
ON CONFLICT (mailbox_id, user_id) DO UPDATE SET granted_by = mailbox_grants.granted_by
RETURNING user_id
