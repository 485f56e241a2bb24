-- $1 team id, $2 user id. Returns the member's JSON and whether it is the administrator.
SELECT member_json(m, u, r), m.is_administrator, r.id
FROM memberships m JOIN users u ON u.id = m.user_id JOIN roles r ON r.id = m.role_id
WHERE m.team_id = $1 AND m.user_id = $2
