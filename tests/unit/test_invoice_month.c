/* The month argument of `pli invoices close` and of the charges list. */
#include <criterion/criterion.h>

#include "db/invoice_close.h"

Test(invoice_month, accepts_year_dash_month)
{
    cr_assert(invoice_month_valid("2026-10"));
    cr_assert(invoice_month_valid("2027-01"));
    cr_assert(invoice_month_valid("2026-12"));
}

Test(invoice_month, refuses_anything_else)
{
    static const char *const bad[] = {"2026-13", "2026-00", "2026-1",  "26-10",   "2026/10",
                                      "2026-10-01", "0000-05", "abcd-10", "2026-1x", ""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_not(invoice_month_valid(bad[i]), "%s", bad[i]);
    cr_assert_not(invoice_month_valid(NULL));
}
