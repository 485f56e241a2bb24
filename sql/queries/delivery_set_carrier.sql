-- Notes the carrier that took a postal delivery and its reference. $1 delivery, $2 carrier,
-- $3 the carrier's reference
UPDATE deliveries SET carrier = $2, carrier_reference = $3 WHERE id = $1::uuid
