-- $1 team id. Returns the team's kind
SELECT kind FROM teams WHERE id = $1::uuid
