-- Custom roles held by nobody and named by no pending invitation. $1 team id, $2 role id
DELETE FROM roles r
WHERE r.team_id = $1 AND r.id = $2 AND r.builtin IS NULL
  AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.role_id = r.id)
  AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.role_id = r.id AND i.status = 'pending')
RETURNING role_json(r), r.id
