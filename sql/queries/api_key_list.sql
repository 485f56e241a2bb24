-- $1 user id
SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'created_at', created_at,
                                           'last_used_at', last_used_at)
                         ORDER BY created_at, id), '[]')
FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL
