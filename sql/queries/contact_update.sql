-- Replaces a contact's fields (same parameters as contact_create, $14 the contact id)
UPDATE contacts SET email = nullif($3, ''), last_name = $4, first_name = $5,
    company = nullif($6, ''), status = $7, line1 = nullif($8, ''), line2 = nullif($9, ''),
    postal_code = nullif($10, ''), city = nullif($11, ''), country = $12, dedupe_key = $13,
    updated_at = now()
WHERE team_id = $1 AND group_id = $2 AND id = $14
RETURNING contact_json(contacts)
