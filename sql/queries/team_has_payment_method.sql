-- $1 team id
SELECT EXISTS (SELECT 1 FROM payment_methods WHERE team_id = $1)
