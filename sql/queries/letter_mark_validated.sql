-- $1 letter id, $2 validator, $3 validation time (the one signed)
UPDATE letters SET status = 'sending', validated_at = $3::timestamptz, validated_by = $2
WHERE id = $1 AND status IN ('draft', 'pending_validation')
RETURNING id
