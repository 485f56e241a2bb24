#include "lib/delivery_state.h"

#include <string.h>

static const char *const status_names[DELIVERY_STATUS__MAX] = {
    "pending",    "deposited", "notified",  "accepted", "refused",
    "negligence", "bounced",   "delivered", "returned", "failed",
};

static const char *const channel_names[DELIVERY_CHANNEL__MAX] = {
    "registered_email", "email", "postal"};

static const char *const proof_names[PROOF_TYPE__MAX] = {
    "deposit", "notification", "acceptance", "refusal", "negligence",
    "bounce",  "delivery",     "return",     "failure",
};

/* The proof issued on entering each status (pending is never entered). */
static const enum proof_type proof_of_status[DELIVERY_STATUS__MAX] = {
    [DELIVERY_PENDING] = PROOF_DEPOSIT,       [DELIVERY_DEPOSITED] = PROOF_DEPOSIT,
    [DELIVERY_NOTIFIED] = PROOF_NOTIFICATION, [DELIVERY_ACCEPTED] = PROOF_ACCEPTANCE,
    [DELIVERY_REFUSED] = PROOF_REFUSAL,       [DELIVERY_NEGLIGENCE] = PROOF_NEGLIGENCE,
    [DELIVERY_BOUNCED] = PROOF_BOUNCE,        [DELIVERY_DELIVERED] = PROOF_DELIVERY,
    [DELIVERY_RETURNED] = PROOF_RETURN,       [DELIVERY_FAILED] = PROOF_FAILURE,
};

#define S(x) (1u << DELIVERY_##x)

/* transitions[channel][from]: the statuses reachable in one step. */
static const unsigned transitions[DELIVERY_CHANNEL__MAX][DELIVERY_STATUS__MAX] = {
    [CHANNEL_REGISTERED_EMAIL] =
        {
            [DELIVERY_PENDING] = S(DEPOSITED) | S(FAILED),
            [DELIVERY_DEPOSITED] = S(NOTIFIED) | S(BOUNCED) | S(FAILED),
            [DELIVERY_NOTIFIED] = S(ACCEPTED) | S(REFUSED) | S(NEGLIGENCE),
        },
    [CHANNEL_EMAIL] =
        {
            [DELIVERY_PENDING] = S(DEPOSITED) | S(FAILED),
            [DELIVERY_DEPOSITED] = S(NOTIFIED) | S(BOUNCED) | S(FAILED),
        },
    [CHANNEL_POSTAL] =
        {
            [DELIVERY_PENDING] = S(DEPOSITED) | S(FAILED),
            [DELIVERY_DEPOSITED] = S(DELIVERED) | S(RETURNED),
        },
};

#undef S

/* ETSI EN 319 522-2 event names, per proof type; the channel changes two of them. */
static const char *const events[PROOF_TYPE__MAX] = {
    [PROOF_DEPOSIT] = "SubmissionAcceptance",
    [PROOF_NOTIFICATION] = "NotificationForAcceptance",
    [PROOF_ACCEPTANCE] = "AcceptanceByRecipient",
    [PROOF_REFUSAL] = "RejectionByRecipient",
    [PROOF_NEGLIGENCE] = "AcceptanceRejectionExpiry",
    [PROOF_BOUNCE] = "NotificationForAcceptanceFailure",
    [PROOF_DELIVERY] = "ContentHandover",
    [PROOF_RETURN] = "ContentHandoverFailure",
    [PROOF_FAILURE] = "RelayFailure",
};

static bool find(const char *const *names, int n, const char *name, int *index)
{
    for (int i = 0; name && i < n; i++) {
        if (strcmp(names[i], name) == 0) {
            *index = i;
            return true;
        }
    }
    return false;
}

bool delivery_status_parse(const char *name, enum delivery_status *status)
{
    int i;
    if (!find(status_names, DELIVERY_STATUS__MAX, name, &i))
        return false;
    *status = (enum delivery_status)i;
    return true;
}

const char *delivery_status_name(enum delivery_status status)
{
    return status < DELIVERY_STATUS__MAX ? status_names[status] : "unknown";
}

bool delivery_channel_parse(const char *name, enum delivery_channel *channel)
{
    int i;
    if (!find(channel_names, DELIVERY_CHANNEL__MAX, name, &i))
        return false;
    *channel = (enum delivery_channel)i;
    return true;
}

bool delivery_transition_allowed(enum delivery_channel channel, enum delivery_status from,
                                 enum delivery_status to)
{
    if (channel >= DELIVERY_CHANNEL__MAX || from >= DELIVERY_STATUS__MAX ||
        to >= DELIVERY_STATUS__MAX)
        return false;
    return (transitions[channel][from] & (1u << to)) != 0;
}

bool delivery_status_final(enum delivery_channel channel, enum delivery_status status)
{
    return channel >= DELIVERY_CHANNEL__MAX || status >= DELIVERY_STATUS__MAX ||
           transitions[channel][status] == 0;
}

enum proof_type delivery_proof_type(enum delivery_status to)
{
    return to < DELIVERY_STATUS__MAX ? proof_of_status[to] : PROOF_FAILURE;
}

const char *proof_type_name(enum proof_type type)
{
    return type < PROOF_TYPE__MAX ? proof_names[type] : "unknown";
}

const char *proof_event_name(enum proof_type type, enum delivery_channel channel)
{
    /* A plain e-mail makes the content available at once: consignment, not a notice. */
    if (channel == CHANNEL_EMAIL && type == PROOF_NOTIFICATION)
        return "ContentConsignment";
    if (channel == CHANNEL_EMAIL && type == PROOF_BOUNCE)
        return "ContentConsignmentFailure";
    return type < PROOF_TYPE__MAX ? events[type] : "Unknown";
}
