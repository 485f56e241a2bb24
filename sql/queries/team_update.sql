-- $1 team id, $2 name (NULL keeps), $3 change billing e-mail ('t'/'f'), $4 billing e-mail,
-- $5 change invoice copy e-mail, $6 invoice copy e-mail. Returns the row before and after.
WITH before AS (SELECT * FROM teams WHERE id = $1 FOR UPDATE)
UPDATE teams t SET
    name = coalesce($2, t.name),
    billing_email = CASE WHEN $3::boolean THEN $4 ELSE t.billing_email END,
    invoice_copy_email = CASE WHEN $5::boolean THEN $6 ELSE t.invoice_copy_email END
FROM before b
WHERE t.id = b.id
RETURNING json_build_object('name', b.name, 'billing_email', b.billing_email,
                            'invoice_copy_email', b.invoice_copy_email),
          json_build_object('name', t.name, 'billing_email', t.billing_email,
                            'invoice_copy_email', t.invoice_copy_email)
