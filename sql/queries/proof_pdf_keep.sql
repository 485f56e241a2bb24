-- Records a proof's PDF (already stored as a blob). $1 proof id, $2 the PDF's sha256
INSERT INTO proof_pdfs (proof_id, sha256) VALUES ($1::uuid, $2)
ON CONFLICT (proof_id) DO NOTHING
