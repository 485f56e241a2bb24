-- $1 invitation id
UPDATE invitations SET status = 'expired'
WHERE id = $1 AND status = 'pending' AND expires_at <= now()
