-- $1 letter id
SELECT count(*), coalesce(max(position), 0) + 1 FROM letter_attachments WHERE letter_id = $1
