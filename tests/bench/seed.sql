-- The benchmark's data set, for the team :team administered by :admin: 50 members, 200 groups
-- of 50 contacts, 100,000 letters over three years with 3 recipients and 3 deliveries each.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO users (email, password_hash, first_name, last_name)
SELECT 'member' || g || '.' || :'tag' || '@bench.test',
       (SELECT password_hash FROM users WHERE id = :'admin'), 'Membre', 'Numéro ' || g
FROM generate_series(1, 49) g;
INSERT INTO memberships (team_id, user_id, role_id)
SELECT :'team', u.id, (SELECT id FROM roles WHERE team_id = :'team' AND builtin = 'member')
FROM users u WHERE u.email LIKE 'member%.' || :'tag' || '@bench.test';
INSERT INTO groups (team_id, name, created_by)
SELECT :'team', 'Groupe ' || g, :'admin' FROM generate_series(1, 200) g;
INSERT INTO contacts (team_id, group_id, email, last_name, first_name, status, dedupe_key)
SELECT :'team', gr.id, 'c' || n || '.' || left(gr.id::text, 8) || '@bench.test', 'Nom ' || n,
       'Prénom', 'individual', 'c' || n || '.' || left(gr.id::text, 8) || '@bench.test'
FROM groups gr, generate_series(1, 50) n WHERE gr.team_id = :'team';
CREATE TEMP TABLE senders AS
SELECT row_number() OVER (ORDER BY user_id) - 1 AS n, user_id FROM memberships
WHERE team_id = :'team';
INSERT INTO letters (team_id, sender_id, kind, subject, body, body_sha256, reference, status,
                     created_at, submitted_at, submitted_by, validated_at, validated_by)
SELECT :'team', s.user_id, (ARRAY['lre', 'lrar', 'simple'])[1 + g % 3],
       'Courrier numéro ' || g, 'Bonjour', repeat('0', 64), 'REF-' || (g % 500), 'sending',
       now() - make_interval(mins => g * 15), now() - make_interval(mins => g * 15),
       s.user_id, now() - make_interval(mins => g * 15), :'admin'
FROM generate_series(1, 100000) g JOIN senders s ON s.n = g % 50;
INSERT INTO letter_recipients (team_id, letter_id, position, email, last_name, first_name,
                               status, country, dedupe_key)
SELECT l.team_id, l.id, p, 'r' || p || '.' || left(l.id::text, 8) || '@bench.test',
       'Destinataire' || (abs(hashtext(l.id::text)) % 1000), 'Jean', 'individual', 'FR',
       'r' || p
FROM letters l, generate_series(1, 3) p WHERE l.team_id = :'team';
UPDATE letters SET recipient_count = 3 WHERE team_id = :'team';
INSERT INTO deliveries (team_id, letter_id, recipient_id, channel, status)
SELECT r.team_id, r.letter_id, r.id,
       CASE l.kind WHEN 'lrar' THEN 'postal' WHEN 'lre' THEN 'registered_email' ELSE 'email' END,
       CASE l.kind WHEN 'lrar' THEN 'delivered' WHEN 'lre' THEN 'accepted' ELSE 'notified' END
FROM letter_recipients r JOIN letters l ON l.id = r.letter_id WHERE r.team_id = :'team';
-- One deposit proof per delivery (a stand-in record and signature: the bench reads, never
-- verifies, them).
INSERT INTO proofs (id, team_id, letter_id, delivery_id, seq, type, event, occurred_at,
                    issued_at, key_id, signed_payload, signature, sha256)
SELECT gen_random_uuid(), d.team_id, d.letter_id, d.id, 1, 'deposit', 'SubmissionAcceptance',
       d.created_at, d.created_at, 'bench', convert_to('{"bench":true}', 'UTF8'),
       decode(repeat('00', 64), 'hex'), encode(sha256(d.id::text::bytea), 'hex')
FROM deliveries d WHERE d.team_id = :'team';
UPDATE deliveries d SET proof_count = 1,
       chain_head = (SELECT p.sha256 FROM proofs p WHERE p.delivery_id = d.id)
WHERE d.team_id = :'team';
COMMIT;
ANALYZE;
