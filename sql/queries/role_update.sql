-- Custom roles only. $1 team id, $2 role id, $3 name (NULL keeps), $4 permissions (NULL keeps)
UPDATE roles SET name = coalesce($3, name), permissions = coalesce($4::text[], permissions)
WHERE team_id = $1 AND id = $2 AND builtin IS NULL
RETURNING role_json(roles), id
