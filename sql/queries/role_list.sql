-- $1 team id
SELECT coalesce(json_agg(role_json(r) ORDER BY r.builtin NULLS LAST, lower(r.name)), '[]')
FROM roles r WHERE r.team_id = $1
