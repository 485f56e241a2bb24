-- $1 team id, $2 matter id. One row when the matter is the team's
SELECT 1 FROM matters WHERE team_id = $1 AND id = $2::uuid
