#include "lib/labels_fr.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *kind, *name;
} kinds[] = {
    {"lre", "Lettre recommandée électronique"},
    {"lrar", "Lettre recommandée avec accusé de réception"},
    {"simple", "Lettre simple"},
};

static const char *const months[12] = {
    "janvier", "février", "mars",      "avril",   "mai",      "juin",
    "juillet", "août",    "septembre", "octobre", "novembre", "décembre",
};

const char *labels_fr_letter_kind(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kinds[i].kind, kind) == 0)
            return kinds[i].name;
    return NULL;
}

bool labels_fr_month(const char *month, char *out, size_t size)
{
    bool ok = month && strlen(month) == 7 && month[4] == '-';
    for (int i = 0; ok && i < 7; i++)
        ok = i == 4 || (month[i] >= '0' && month[i] <= '9');
    int m = ok ? (month[5] - '0') * 10 + (month[6] - '0') : 0;
    if (m < 1 || m > 12)
        return false;
    int n = snprintf(out, size, "%s %.4s", months[m - 1], month);
    return n > 0 && (size_t)n < size;
}
