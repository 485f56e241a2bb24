-- Never touches the administrator. $1 team id, $2 user id, $3 role id
UPDATE memberships SET role_id = $3
WHERE team_id = $1 AND user_id = $2 AND NOT is_administrator
RETURNING user_id
