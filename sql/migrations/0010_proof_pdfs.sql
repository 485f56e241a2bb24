-- The PDF rendering of each proof, made by pli-jobs once the proof is written: rendering needs
-- fonts and memory that the request workers should not carry. Proofs written before this
-- migration get theirs queued here.
CREATE TABLE proof_pdfs (
    proof_id   uuid PRIMARY KEY REFERENCES proofs (id),
    sha256     text NOT NULL REFERENCES blobs (sha256),
    created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO jobs (kind, payload, dedupe_key)
SELECT 'proof_pdf', json_build_object('proof_id', id), 'proof_pdf:' || id::text FROM proofs
ON CONFLICT (dedupe_key) DO NOTHING;
