/* The Message-IDs of every message the stack's SMTP server stored (PLI_TEST_MAILDIR) for a set
 * of addresses, to check that repeated deliveries are the same message. */
#ifndef PLI_TEST_MAIL_IDS_H
#define PLI_TEST_MAIL_IDS_H

#define MAIL_IDS_PER_ADDRESS 8

struct mail_ids {
    const char *to;                              /* the address (not copied) */
    int count;                                   /* messages to it */
    char ids[MAIL_IDS_PER_ADDRESS][256];         /* the first ones' Message-IDs, without <> */
};

/* Waits up to timeout_ms until every address of list[0..n) has at least one message; fills
 * the counts and ids and returns how many addresses have none. */
int mail_ids_wait(struct mail_ids *list, int n, int timeout_ms);

#endif
