-- One pending delivery per recipient of a letter, and the job that dispatches them.
-- $1 team id, $2 letter id. Returns how many deliveries were opened.
WITH created AS (
    INSERT INTO deliveries (team_id, letter_id, recipient_id)
    SELECT r.team_id, r.letter_id, r.id FROM letter_recipients r
    WHERE r.team_id = $1::uuid AND r.letter_id = $2::uuid
    RETURNING id),
job AS (
    INSERT INTO jobs (kind, payload, dedupe_key)
    VALUES ('dispatch_letter', json_build_object('letter_id', $2::uuid, 'team_id', $1::uuid),
            'dispatch_letter:' || $2::text)
    RETURNING id)
SELECT (SELECT count(*) FROM created), (SELECT count(*) FROM job)
