-- $1 letter id, $2 team id, $3 key id, $4 signed payload (hex), $5 signature (hex),
-- $6 validator, $7 validation time
INSERT INTO letter_validations (letter_id, team_id, key_id, signed_payload, signature,
                                validated_by, validated_at)
VALUES ($1, $2, $3, decode($4, 'hex'), decode($5, 'hex'), $6, $7::timestamptz)
