-- $1 team id. Columns: the team's kind, its name
SELECT kind, name FROM teams WHERE id = $1::uuid
