-- $1 team id, $2 role id. Returns the role's JSON, its built-in kind, its permissions (csv).
SELECT role_json(r), r.builtin, array_to_string(r.permissions, ',')
FROM roles r WHERE r.team_id = $1 AND r.id = $2
