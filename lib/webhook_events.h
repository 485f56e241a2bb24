/* The event types an endpoint subscribes to: "letter.<status>" for every status a letter moves to
 * after its creation and "delivery.<status>" for every status a delivery moves to after pending
 * (see lib/delivery_state.h). The database emits them (webhook_emit in
 * sql/migrations/0014_webhook_endpoints.sql) under the same names. */
#ifndef PLI_WEBHOOK_EVENTS_H
#define PLI_WEBHOOK_EVENTS_H

#include <stdbool.h>
#include <stddef.h>

/* How many event types there are. */
#define WEBHOOK_EVENT_TYPES 12

/* Every event type, NULL-terminated. */
extern const char *const webhook_event_types[WEBHOOK_EVENT_TYPES + 1];
/* True for a known event type. */
bool webhook_event_type_known(const char *type);

#endif
