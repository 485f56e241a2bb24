-- $1 token hash, $2 invitation id, $3 version
INSERT INTO invitation_tokens (token_hash, invitation_id, version) VALUES ($1, $2, $3)
