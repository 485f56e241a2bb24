-- $1 team id, $2 client group id. One row when the group is the office's
SELECT 1 FROM client_groups WHERE team_id = $1 AND id = $2::uuid
