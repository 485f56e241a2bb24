-- $1 team id, $2 user id
SELECT team_json(t, r)
FROM teams t
JOIN memberships m ON m.team_id = t.id AND m.user_id = $2
JOIN roles r ON r.id = m.role_id
WHERE t.id = $1
