-- Whether an e-mail already belongs to a member. $1 team id, $2 email
SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id
WHERE m.team_id = $1 AND u.email = $2
