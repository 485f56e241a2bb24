-- What may be shown of a team's payment method. $1 team id
SELECT json_build_object('provider', provider, 'brand', brand, 'last4', last4,
                         'exp_month', exp_month, 'exp_year', exp_year,
                         'updated_by', updated_by, 'updated_at', updated_at)
FROM payment_methods WHERE team_id = $1
