-- The messages of a mailbox whose reading did not finish (pli-jobs stopped in between): each
-- counts one more attempt now. $1 mailbox id. Columns (binary result): id (text), attempts so
-- far (text), the raw bytes
WITH again AS (
    UPDATE messages SET read_attempts = read_attempts + 1
    WHERE mailbox_id = $1::uuid AND read_state = 'pending'
    RETURNING id, read_attempts, raw_sha256)
SELECT a.id::text, a.read_attempts::text, b.data
FROM again a JOIN blobs b ON b.sha256 = a.raw_sha256
