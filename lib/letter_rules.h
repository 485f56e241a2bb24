/* What each kind of letter needs from its recipients. */
#ifndef PLI_LETTER_RULES_H
#define PLI_LETTER_RULES_H

#include <stdbool.h>

#include "lib/contact.h"

enum letter_kind {
    LETTER_LRE,    /* electronic registered letter: e-mail and legal status */
    LETTER_LRAR,   /* postal registered letter with acknowledgement: full postal address */
    LETTER_SIMPLE, /* simple letter: an e-mail or a postal address */
    LETTER_KIND__MAX
};

/* Postal carriers print at most this many characters on an address line. */
#define LETTER_POSTAL_LINE_MAX 38

/* Reads a kind's API name ("lre", "lrar", "simple"); false when unknown. */
bool letter_kind_parse(const char *name, enum letter_kind *kind);
/* Adds to problems what a (valid) contact lacks to receive this kind; true when nothing. */
bool letter_check_recipient(enum letter_kind kind, const struct contact *c,
                            struct contact_problems *problems);

#endif
