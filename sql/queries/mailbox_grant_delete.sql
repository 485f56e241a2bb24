-- $1 team id, $2 mailbox id, $3 user id. One row when a grant was removed
DELETE FROM mailbox_grants WHERE team_id = $1 AND mailbox_id = $2::uuid AND user_id = $3::uuid
RETURNING user_id
