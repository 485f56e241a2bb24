#include "lib/webhook_events.h"

#include <string.h>

const char *const webhook_event_types[WEBHOOK_EVENT_TYPES + 1] = {
    "letter.pending_validation", "letter.sending",       "letter.rejected",
    "delivery.deposited",        "delivery.notified",    "delivery.accepted",
    "delivery.refused",          "delivery.negligence",  "delivery.bounced",
    "delivery.delivered",        "delivery.returned",    "delivery.failed",
    NULL};

bool webhook_event_type_known(const char *type)
{
    for (size_t i = 0; webhook_event_types[i]; i++)
        if (strcmp(webhook_event_types[i], type) == 0)
            return true;
    return false;
}
