-- Every team of a user, by name. $1 user id
SELECT coalesce(json_agg(team_json(t, r) ORDER BY t.name, t.id), '[]')
FROM memberships m
JOIN teams t ON t.id = m.team_id
JOIN roles r ON r.id = m.role_id
WHERE m.user_id = $1
