-- $1 team id, $2 built-in kind ('member')
SELECT id FROM roles WHERE team_id = $1 AND builtin = $2
