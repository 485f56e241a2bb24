-- $1 team id, $2 user id. One row when the user is a member of the team
SELECT 1 FROM memberships WHERE team_id = $1 AND user_id = $2::uuid
