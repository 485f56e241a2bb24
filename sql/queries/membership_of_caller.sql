-- The caller's place in a team. $1 team id, $2 user id
SELECT m.role_id, m.is_administrator, array_to_string(r.permissions, ',')
FROM memberships m JOIN roles r ON r.id = m.role_id
WHERE m.team_id = $1 AND m.user_id = $2
