-- $1 invitation id, $2 version that was sent
UPDATE invitations SET sent_at = now() WHERE id = $1 AND version = $2
