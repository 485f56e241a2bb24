#include "jobs/job_kinds.h"

#include "jobs/job_carrier_event.h"
#include "jobs/job_client_welcome.h"
#include "jobs/job_deadlines.h"
#include "jobs/job_delivery_code.h"
#include "jobs/job_dispatch.h"
#include "jobs/job_email_delivery.h"
#include "jobs/job_invitation_email.h"
#include "jobs/job_invoices.h"
#include "jobs/job_mailbox_poll.h"
#include "jobs/job_maintenance.h"
#include "jobs/job_message_pdf.h"
#include "jobs/job_notification_email.h"
#include "jobs/job_postal_delivery.h"
#include "jobs/job_proof_pdf.h"
#include "jobs/job_webhook_deliver.h"

const struct job_kind job_kinds[] = {
    {"purge_expired", job_purge_expired},
    {"invitation_email", job_invitation_email},
    {"dispatch_letter", job_dispatch_letter},
    {"deliver_email", job_deliver_email},
    {"deliver_postal", job_deliver_postal},
    {"delivery_code", job_delivery_code},
    {"carrier_event", job_carrier_event},
    {"proof_pdf", job_proof_pdf},
    {"delivery_deadlines", job_delivery_deadlines},
    {"close_invoices", job_close_invoices},
    {"invoice_email", job_invoice_email},
    {"client_user_welcome", job_client_welcome},
    {"notification_email", job_notification_email},
    {"poll_mailboxes", job_poll_mailboxes},
    {"mailbox_poll", job_mailbox_poll},
    {"message_pdf", job_message_pdf},
    {"webhook_deliver", job_webhook_deliver},
};

const int job_kinds_count = sizeof(job_kinds) / sizeof(job_kinds[0]);
