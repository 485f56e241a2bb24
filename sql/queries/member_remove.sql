-- Never removes the administrator. $1 team id, $2 user id
DELETE FROM memberships WHERE team_id = $1 AND user_id = $2 AND NOT is_administrator
RETURNING user_id
