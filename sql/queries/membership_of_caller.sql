-- The caller's place in a team. $1 team id, $2 user id. Columns: role id, administrator or not,
-- the role's permissions, the team's kind
SELECT m.role_id, m.is_administrator, array_to_string(r.permissions, ','), t.kind
FROM memberships m JOIN roles r ON r.id = m.role_id JOIN teams t ON t.id = m.team_id
WHERE m.team_id = $1 AND m.user_id = $2
