/* The delivery state machine shared by the API and pli-jobs: statuses, channels, the
 * transitions each channel allows (all forward: nothing ever moves a delivery back), and the
 * proof each transition issues with its ETSI EN 319 522 event name. */
#ifndef PLI_DELIVERY_STATE_H
#define PLI_DELIVERY_STATE_H

#include <stdbool.h>

/* Days a recipient has to accept or refuse a registered e-mail, counted from the day after the
 * notification (Code des postes et des communications électroniques, art. R. 53-3). */
#define DELIVERY_RESPONSE_DAYS 15

enum delivery_status {
    DELIVERY_PENDING,
    DELIVERY_DEPOSITED,
    DELIVERY_NOTIFIED,
    DELIVERY_ACCEPTED,
    DELIVERY_REFUSED,
    DELIVERY_NEGLIGENCE,
    DELIVERY_BOUNCED,
    DELIVERY_DELIVERED,
    DELIVERY_RETURNED,
    DELIVERY_FAILED,
    DELIVERY_STATUS__MAX
};

enum delivery_channel {
    CHANNEL_REGISTERED_EMAIL, /* lre: identity check, then accept or refuse */
    CHANNEL_EMAIL,            /* simple letter by e-mail: the link opens the content */
    CHANNEL_POSTAL,           /* lrar, and simple letters without an e-mail address */
    DELIVERY_CHANNEL__MAX
};

enum proof_type {
    PROOF_DEPOSIT,
    PROOF_NOTIFICATION,
    PROOF_ACCEPTANCE,
    PROOF_REFUSAL,
    PROOF_NEGLIGENCE,
    PROOF_BOUNCE,
    PROOF_DELIVERY,
    PROOF_RETURN,
    PROOF_FAILURE,
    PROOF_TYPE__MAX
};

/* Parses a status name; false when unknown. */
bool delivery_status_parse(const char *name, enum delivery_status *status);
/* The name of a status, as the API and the database spell it. */
const char *delivery_status_name(enum delivery_status status);
/* Parses a channel name; false when unknown. */
bool delivery_channel_parse(const char *name, enum delivery_channel *channel);
/* True when a delivery on this channel may go from one status to the other. */
bool delivery_transition_allowed(enum delivery_channel channel, enum delivery_status from,
                                 enum delivery_status to);
/* True when no transition leaves the status on this channel. */
bool delivery_status_final(enum delivery_channel channel, enum delivery_status status);
/* The proof a transition into this status issues. */
enum proof_type delivery_proof_type(enum delivery_status to);
/* The name of a proof type, as the API and the database spell it. */
const char *proof_type_name(enum proof_type type);
/* The ETSI EN 319 522-2 event a proof of this type records on this channel. */
const char *proof_event_name(enum proof_type type, enum delivery_channel channel);

#endif
