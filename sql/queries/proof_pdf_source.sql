-- What a proof's PDF is rendered from, unless it has one. $1 proof id. Columns: signed bytes,
-- signature (base64 on one line), sha256
SELECT base64_line(p.signed_payload), base64_line(p.signature), p.sha256
FROM proofs p
WHERE p.id = $1::uuid AND NOT EXISTS (SELECT 1 FROM proof_pdfs f WHERE f.proof_id = p.id)
