-- One pending delivery per recipient of a letter, on the channel its kind and address give,
-- and the job that dispatches them. $1 team id, $2 letter id. Returns how many were opened.
WITH created AS (
    INSERT INTO deliveries (team_id, letter_id, recipient_id, channel)
    SELECT r.team_id, r.letter_id, r.id,
           CASE WHEN l.kind = 'lre' THEN 'registered_email'
                WHEN l.kind = 'lrar' OR r.email IS NULL THEN 'postal'
                ELSE 'email' END
    FROM letter_recipients r JOIN letters l ON l.id = r.letter_id
    WHERE r.team_id = $1::uuid AND r.letter_id = $2::uuid
    RETURNING id),
job AS (
    INSERT INTO jobs (kind, payload, dedupe_key)
    VALUES ('dispatch_letter', json_build_object('letter_id', $2::uuid, 'team_id', $1::uuid),
            'dispatch_letter:' || $2::text)
    RETURNING id)
SELECT (SELECT count(*) FROM created), (SELECT count(*) FROM job)
