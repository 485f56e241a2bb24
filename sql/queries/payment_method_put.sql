-- $1 team id, $2 provider, $3 token, $4 brand, $5 last4, $6 exp month, $7 exp year, $8 user
INSERT INTO payment_methods AS p (team_id, provider, token, brand, last4, exp_month, exp_year,
                                  updated_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (team_id) DO UPDATE SET
    provider = EXCLUDED.provider, token = EXCLUDED.token, brand = EXCLUDED.brand,
    last4 = EXCLUDED.last4, exp_month = EXCLUDED.exp_month, exp_year = EXCLUDED.exp_year,
    updated_by = EXCLUDED.updated_by, updated_at = now()
RETURNING json_build_object('provider', provider, 'brand', brand, 'last4', last4,
                            'exp_month', exp_month, 'exp_year', exp_year,
                            'updated_by', updated_by, 'updated_at', updated_at)
