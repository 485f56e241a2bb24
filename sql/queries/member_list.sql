-- $1 team id
SELECT coalesce(json_agg(member_json(m, u, r) ORDER BY u.last_name, u.first_name, u.id), '[]')
FROM memberships m JOIN users u ON u.id = m.user_id JOIN roles r ON r.id = m.role_id
WHERE m.team_id = $1
