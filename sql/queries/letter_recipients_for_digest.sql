-- Every recipient of a letter, in order, as the signed digest lists them. $1 letter id
SELECT coalesce(json_agg(json_build_object(
           'email', r.email, 'last_name', r.last_name, 'first_name', r.first_name,
           'company', r.company, 'status', r.status, 'line1', r.line1, 'line2', r.line2,
           'postal_code', r.postal_code, 'city', r.city, 'country', r.country)
           ORDER BY r.position), '[]'),
       count(*)
FROM letter_recipients r WHERE r.letter_id = $1
