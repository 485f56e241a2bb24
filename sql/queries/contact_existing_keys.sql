-- How many of these de-duplication keys the group already holds. $1 group id, $2 keys (JSON array)
SELECT count(*) FROM contacts
WHERE group_id = $1 AND dedupe_key IN (SELECT json_array_elements_text($2::json))
