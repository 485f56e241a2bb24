-- The pending invitation that will give a client space its administrator. $1 team id.
-- Columns: invitation id, administrator role id
SELECT i.id, i.role_id FROM invitations i JOIN roles r ON r.id = i.role_id
WHERE i.team_id = $1 AND i.status = 'pending' AND r.builtin = 'administrator'
