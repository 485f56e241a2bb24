/* French words that documents and e-mails share: letter kinds and months. */
#ifndef PLI_LABELS_FR_H
#define PLI_LABELS_FR_H

#include <stdbool.h>
#include <stddef.h>

/* "Lettre recommandée électronique" for "lre", and so on; NULL for an unknown kind. */
const char *labels_fr_letter_kind(const char *kind);
/* Writes "octobre 2026" for "2026-10"; false (out untouched) unless month is YYYY-MM. */
bool labels_fr_month(const char *month, char *out, size_t size);

#endif
