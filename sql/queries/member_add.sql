-- $1 team id, $2 user id, $3 role id
INSERT INTO memberships (team_id, user_id, role_id) VALUES ($1, $2, $3)
