-- Locks a team's row, so that changes counted per team (e.g. its webhook endpoints) are made one
-- at a time. $1 team id
SELECT id FROM teams WHERE id = $1::uuid FOR UPDATE
