/* The delivery state machine: allowed steps per channel, monotonic, and the proof each issues. */
#include <criterion/criterion.h>

#include "lib/delivery_state.h"

static const enum delivery_status all[] = {
    DELIVERY_PENDING,   DELIVERY_DEPOSITED, DELIVERY_NOTIFIED, DELIVERY_ACCEPTED,
    DELIVERY_REFUSED,   DELIVERY_NEGLIGENCE, DELIVERY_BOUNCED, DELIVERY_DELIVERED,
    DELIVERY_RETURNED,  DELIVERY_FAILED,
};
#define N_STATUSES (sizeof(all) / sizeof(all[0]))

/* The order in which a delivery advances; every allowed step goes up this rank. */
static int rank(enum delivery_status s)
{
    switch (s) {
    case DELIVERY_PENDING:
        return 0;
    case DELIVERY_DEPOSITED:
        return 1;
    case DELIVERY_NOTIFIED:
        return 2;
    default:
        return 3;
    }
}

Test(delivery_state, registered_email_follows_the_law)
{
    enum delivery_channel c = CHANNEL_REGISTERED_EMAIL;
    cr_assert(delivery_transition_allowed(c, DELIVERY_PENDING, DELIVERY_DEPOSITED));
    cr_assert(delivery_transition_allowed(c, DELIVERY_DEPOSITED, DELIVERY_NOTIFIED));
    cr_assert(delivery_transition_allowed(c, DELIVERY_DEPOSITED, DELIVERY_BOUNCED));
    cr_assert(delivery_transition_allowed(c, DELIVERY_NOTIFIED, DELIVERY_ACCEPTED));
    cr_assert(delivery_transition_allowed(c, DELIVERY_NOTIFIED, DELIVERY_REFUSED));
    cr_assert(delivery_transition_allowed(c, DELIVERY_NOTIFIED, DELIVERY_NEGLIGENCE));
    cr_assert_not(delivery_transition_allowed(c, DELIVERY_PENDING, DELIVERY_NOTIFIED));
    cr_assert_not(delivery_transition_allowed(c, DELIVERY_DEPOSITED, DELIVERY_ACCEPTED));
    cr_assert_not(delivery_transition_allowed(c, DELIVERY_NOTIFIED, DELIVERY_DELIVERED));
    cr_assert_not(delivery_transition_allowed(c, DELIVERY_ACCEPTED, DELIVERY_REFUSED));
    cr_assert_not(delivery_transition_allowed(c, DELIVERY_REFUSED, DELIVERY_ACCEPTED));
    cr_assert_not(delivery_transition_allowed(c, DELIVERY_NEGLIGENCE, DELIVERY_ACCEPTED));
}

Test(delivery_state, plain_email_has_no_answer)
{
    enum delivery_channel c = CHANNEL_EMAIL;
    cr_assert(delivery_transition_allowed(c, DELIVERY_DEPOSITED, DELIVERY_NOTIFIED));
    cr_assert_not(delivery_transition_allowed(c, DELIVERY_NOTIFIED, DELIVERY_ACCEPTED));
    cr_assert_not(delivery_transition_allowed(c, DELIVERY_NOTIFIED, DELIVERY_NEGLIGENCE));
    cr_assert(delivery_status_final(c, DELIVERY_NOTIFIED));
}

Test(delivery_state, postal_goes_through_the_carrier)
{
    enum delivery_channel c = CHANNEL_POSTAL;
    cr_assert(delivery_transition_allowed(c, DELIVERY_PENDING, DELIVERY_DEPOSITED));
    cr_assert(delivery_transition_allowed(c, DELIVERY_PENDING, DELIVERY_FAILED));
    cr_assert(delivery_transition_allowed(c, DELIVERY_DEPOSITED, DELIVERY_DELIVERED));
    cr_assert(delivery_transition_allowed(c, DELIVERY_DEPOSITED, DELIVERY_RETURNED));
    cr_assert_not(delivery_transition_allowed(c, DELIVERY_PENDING, DELIVERY_DELIVERED));
    cr_assert_not(delivery_transition_allowed(c, DELIVERY_DEPOSITED, DELIVERY_NOTIFIED));
    cr_assert_not(delivery_transition_allowed(c, DELIVERY_DELIVERED, DELIVERY_RETURNED));
    cr_assert_not(delivery_transition_allowed(c, DELIVERY_RETURNED, DELIVERY_DELIVERED));
}

Test(delivery_state, no_step_goes_back_or_stays)
{
    for (int c = 0; c < DELIVERY_CHANNEL__MAX; c++)
        for (size_t i = 0; i < N_STATUSES; i++)
            for (size_t j = 0; j < N_STATUSES; j++)
                if (delivery_transition_allowed((enum delivery_channel)c, all[i], all[j]))
                    cr_assert_gt(rank(all[j]), rank(all[i]), "channel %d: %s -> %s", c,
                                 delivery_status_name(all[i]), delivery_status_name(all[j]));
}

Test(delivery_state, final_statuses_allow_nothing)
{
    enum delivery_status finals[] = {DELIVERY_ACCEPTED, DELIVERY_REFUSED, DELIVERY_NEGLIGENCE,
                                     DELIVERY_BOUNCED,  DELIVERY_DELIVERED, DELIVERY_RETURNED,
                                     DELIVERY_FAILED};
    for (int c = 0; c < DELIVERY_CHANNEL__MAX; c++)
        for (size_t i = 0; i < sizeof(finals) / sizeof(finals[0]); i++)
            cr_assert(delivery_status_final((enum delivery_channel)c, finals[i]));
    cr_assert_not(delivery_status_final(CHANNEL_POSTAL, DELIVERY_PENDING));
}

Test(delivery_state, names_round_trip)
{
    for (size_t i = 0; i < N_STATUSES; i++) {
        enum delivery_status s;
        cr_assert(delivery_status_parse(delivery_status_name(all[i]), &s));
        cr_assert_eq(s, all[i]);
    }
    enum delivery_status s;
    enum delivery_channel c;
    cr_assert_not(delivery_status_parse("lost", &s));
    cr_assert_not(delivery_status_parse(NULL, &s));
    cr_assert(delivery_channel_parse("registered_email", &c) && c == CHANNEL_REGISTERED_EMAIL);
    cr_assert_not(delivery_channel_parse("fax", &c));
}

Test(delivery_state, each_transition_names_its_proof_and_etsi_event)
{
    cr_assert_str_eq(proof_type_name(delivery_proof_type(DELIVERY_DEPOSITED)), "deposit");
    cr_assert_str_eq(proof_type_name(delivery_proof_type(DELIVERY_NEGLIGENCE)), "negligence");
    cr_assert_str_eq(proof_type_name(delivery_proof_type(DELIVERY_RETURNED)), "return");
    cr_assert_str_eq(proof_event_name(PROOF_DEPOSIT, CHANNEL_POSTAL), "SubmissionAcceptance");
    cr_assert_str_eq(proof_event_name(PROOF_NOTIFICATION, CHANNEL_REGISTERED_EMAIL),
                     "NotificationForAcceptance");
    cr_assert_str_eq(proof_event_name(PROOF_NOTIFICATION, CHANNEL_EMAIL), "ContentConsignment");
    cr_assert_str_eq(proof_event_name(PROOF_ACCEPTANCE, CHANNEL_REGISTERED_EMAIL),
                     "AcceptanceByRecipient");
    cr_assert_str_eq(proof_event_name(PROOF_NEGLIGENCE, CHANNEL_REGISTERED_EMAIL),
                     "AcceptanceRejectionExpiry");
    cr_assert_str_eq(proof_event_name(PROOF_DELIVERY, CHANNEL_POSTAL), "ContentHandover");
    cr_assert_str_eq(proof_event_name(PROOF_RETURN, CHANNEL_POSTAL), "ContentHandoverFailure");
}
