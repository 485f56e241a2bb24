/* The Prometheus text writer: families, samples, escaping, and its cap. */
#include <criterion/criterion.h>
#include <string.h>

#include "lib/prom_text.h"

static struct arena *arena;

static void setup(void)
{
    arena = arena_new(1u << 24);
}

static void teardown(void)
{
    arena_free(arena);
}

static const char *text(const struct prom_text *t)
{
    return arena_strndup(arena, t->buf ? t->buf : "", t->len);
}

Test(prom_text, families_and_samples, .init = setup, .fini = teardown)
{
    struct prom_text t;
    prom_text_init(&t, arena, 4096);
    prom_family(&t, "pli_x_total", "counter", "Things, with a \\ and a\nline.");
    struct prom_label labels[] = {{"route", "/a/{b}"}, {"v", "q\"uo\\te\nx"}};
    prom_sample_u64(&t, "pli_x_total", labels, 2, 18446744073709551615u);
    prom_sample(&t, "pli_y", NULL, 0, "+Inf");
    prom_sample_us(&t, "pli_z_sum", labels, 1, 1234567);
    prom_sample_us(&t, "pli_z_sum", labels, 1, 5);
    cr_assert_not(t.overflow);
    cr_assert_str_eq(text(&t), "# HELP pli_x_total Things, with a \\\\ and a\\nline.\n"
                               "# TYPE pli_x_total counter\n"
                               "pli_x_total{route=\"/a/{b}\",v=\"q\\\"uo\\\\te\\nx\"} "
                               "18446744073709551615\n"
                               "pli_y +Inf\n"
                               "pli_z_sum{route=\"/a/{b}\"} 1.234567\n"
                               "pli_z_sum{route=\"/a/{b}\"} 0.000005\n");
}

/* A text that fills the cap exactly is whole; one byte more marks it unusable. */
Test(prom_text, cap_is_enforced_at_the_byte, .init = setup, .fini = teardown)
{
    const char *line = "pli_a 1\n"; /* 8 bytes */
    struct prom_text t;
    prom_text_init(&t, arena, 8 * 5000);
    for (int i = 0; i < 5000; i++)
        prom_sample(&t, "pli_a", NULL, 0, "1");
    cr_assert_not(t.overflow);
    cr_assert_eq(t.len, 8 * 5000);
    cr_assert_eq(memcmp(t.buf + 8 * 4999, line, 8), 0);

    prom_text_init(&t, arena, 8 * 5000 - 1);
    for (int i = 0; i < 5000; i++)
        prom_sample(&t, "pli_a", NULL, 0, "1");
    cr_assert(t.overflow);
    cr_assert_leq(t.len, 8 * 5000 - 1);
}

/* The arena's own cap counts too: the text is marked unusable, never cut silently. */
Test(prom_text, arena_exhaustion_is_an_overflow)
{
    struct arena *small = arena_new(20000);
    struct prom_text t;
    prom_text_init(&t, small, 1u << 20);
    for (int i = 0; i < 10000 && !t.overflow; i++)
        prom_sample(&t, "pli_a", NULL, 0, "1");
    cr_assert(t.overflow);
    arena_free(small);
}
