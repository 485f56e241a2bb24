-- Takes the invoice counter for the rest of the transaction (closes run one at a time).
SELECT last FROM invoice_counter FOR UPDATE
