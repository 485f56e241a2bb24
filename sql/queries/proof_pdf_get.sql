-- A proof's PDF, once pli-jobs has made it. $1 proof id. Columns: the PDF (base64 on one line)
SELECT base64_line(b.data)
FROM proof_pdfs f JOIN blobs b ON b.sha256 = f.sha256
WHERE f.proof_id = $1::uuid
