-- One proof of a letter the caller may see (letter_visible). $1 team id, $2 letter id,
-- $3 proof id, $4 caller, $5 sees all ('t'/'f'), $6 validates ('t'/'f'). Columns: id,
-- delivery id, seq, type, event, occurred at, issued at, key id, sha256, previous sha256,
-- signed bytes and signature (base64)
SELECT p.id, p.delivery_id, p.seq, p.type, p.event, rfc3339(p.occurred_at),
       rfc3339(p.issued_at), p.key_id, p.sha256, p.previous_sha256,
       base64_line(p.signed_payload), base64_line(p.signature)
FROM proofs p
JOIN letters l ON l.id = p.letter_id AND l.team_id = p.team_id
WHERE p.team_id = $1::uuid AND p.letter_id = $2::uuid AND p.id = $3::uuid
  AND letter_visible(l, $4::uuid, $5::boolean, $6::boolean)
