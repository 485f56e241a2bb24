-- $1 team id, $2 matter id, $3 user id, $4 e-mail, $5 status ('invited' or 'active'),
-- $6 validity of the welcome link in days, $7 sender address, $8 sender name, $9 sender rule,
-- $10 creating member. Returns the id
INSERT INTO client_users (team_id, matter_id, user_id, email, status, expires_at, sender_address,
                          sender_name, sender_rule, created_by, activated_at)
VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6::integer), $7, $8, $9, $10,
        CASE WHEN $5 = 'active' THEN now() END)
RETURNING id
