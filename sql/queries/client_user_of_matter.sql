-- Whether a user is an active client user of a matter. $1 team id, $2 matter id, $3 user id
SELECT 1 FROM client_users
WHERE team_id = $1 AND matter_id = $2::uuid AND user_id = $3 AND status = 'active'
