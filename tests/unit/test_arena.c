/* The request arena: aligned zeroed memory, a hard cap, destructors run last-first on reset. */
#include <criterion/criterion.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/arena.h"

#define KB 1024u
#define MB (1024u * 1024u)

Test(arena, allocations_are_aligned_and_zeroed)
{
    struct arena *a = arena_new(MB);
    size_t sizes[] = {1, 3, 7, 16, 17, 100, 0, 5};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        unsigned char *p = arena_alloc(a, sizes[i]);
        cr_assert_not_null(p);
        cr_assert_eq((uintptr_t)p % alignof(max_align_t), 0, "size %zu misaligned", sizes[i]);
        for (size_t j = 0; j < sizes[i]; j++)
            cr_assert_eq(p[j], 0);
        memset(p, 0xAB, sizes[i]);
    }
    arena_free(a);
}

Test(arena, allocations_do_not_overlap)
{
    struct arena *a = arena_new(MB);
    char *x = arena_alloc(a, 10), *y = arena_alloc(a, 10);
    memset(x, 'x', 10);
    memset(y, 'y', 10);
    cr_assert_eq(x[9], 'x');
    cr_assert(y >= x + 10 || x >= y + 10);
    arena_free(a);
}

Test(arena, cap_is_enforced)
{
    struct arena *a = arena_new(4 * KB);
    cr_assert_null(arena_alloc(a, 4 * KB + 1));
    cr_assert_not_null(arena_alloc(a, 3 * KB));
    cr_assert_null(arena_alloc(a, 2 * KB), "past the cap");
    cr_assert_not_null(arena_alloc(a, 512), "what is left stays usable");
    cr_assert_null(arena_alloc(a, SIZE_MAX));
    cr_assert_null(arena_alloc(a, SIZE_MAX - 8));
    arena_free(a);
}

Test(arena, reset_gives_the_cap_back)
{
    struct arena *a = arena_new(8 * KB);
    cr_assert_not_null(arena_alloc(a, 8 * KB));
    cr_assert_null(arena_alloc(a, 1));
    arena_reset(a);
    cr_assert_not_null(arena_alloc(a, 8 * KB));
    arena_free(a);
}

Test(arena, big_allocations_beyond_a_block)
{
    struct arena *a = arena_new(64 * MB);
    char *small = arena_alloc(a, 100);
    char *big = arena_alloc(a, 5 * MB);
    cr_assert_not_null(big);
    memset(big, 0x5A, 5 * MB);
    char *after = arena_alloc(a, 100);
    cr_assert_not_null(after);
    memset(after, 1, 100);
    cr_assert_eq(big[5 * MB - 1], 0x5A);
    cr_assert(after < big || after >= big + 5 * MB, "small allocation inside the big one");
    for (int i = 0; i < 2000; i++) /* many blocks' worth of small ones */
        cr_assert_not_null(arena_alloc(a, 1000));
    cr_assert_eq(small[0], 0);
    arena_reset(a);
    cr_assert_not_null(arena_alloc(a, 60 * MB));
    arena_free(a);
}

static int order[8];
static int n_order;

static void note(void *p)
{
    order[n_order++] = *(int *)p;
}

Test(arena, reset_runs_destructors_last_first_once)
{
    static int values[] = {1, 2, 3};
    n_order = 0;
    struct arena *a = arena_new(MB);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(arena_defer(a, note, &values[i]), &values[i]);
    arena_reset(a);
    cr_assert_eq(n_order, 3);
    cr_assert_eq(order[0], 3);
    cr_assert_eq(order[1], 2);
    cr_assert_eq(order[2], 1);
    arena_reset(a);
    cr_assert_eq(n_order, 3, "destructors ran twice");
    arena_free(a);
}

Test(arena, free_runs_destructors)
{
    static int value = 7;
    n_order = 0;
    struct arena *a = arena_new(MB);
    arena_defer(a, note, &value);
    arena_free(a);
    cr_assert_eq(n_order, 1);
    cr_assert_eq(order[0], 7);
}

Test(arena, defer_null_and_past_the_cap)
{
    static int value = 9;
    n_order = 0;
    struct arena *a = arena_new(4 * KB);
    cr_assert_null(arena_defer(a, note, NULL));
    cr_assert_eq(n_order, 0);
    cr_assert_not_null(arena_alloc(a, 4 * KB));
    cr_assert_null(arena_defer(a, note, &value));
    cr_assert_eq(n_order, 1, "a destructor that cannot be registered runs at once");
    arena_free(a);
    cr_assert_eq(n_order, 1);
}

Test(arena, strndup_and_strdup)
{
    struct arena *a = arena_new(MB);
    char *s = arena_strndup(a, "hello world", 5);
    cr_assert_str_eq(s, "hello");
    cr_assert_str_eq(arena_strndup(a, "", 0), "");
    char *d = arena_strdup(a, "copy");
    cr_assert_str_eq(d, "copy");
    cr_assert_null(arena_strdup(a, NULL));
    arena_free(a);
}

Test(arena, printf_formats_and_respects_the_cap)
{
    struct arena *a = arena_new(4 * KB);
    cr_assert_str_eq(arena_printf(a, "%s-%d-%05.1f", "x", 42, 3.14159), "x-42-003.1");
    char big[5000];
    memset(big, 'z', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    cr_assert_null(arena_printf(a, "%s", big));
    cr_assert_str_eq(arena_printf(a, "%s", ""), "");
    arena_free(a);
}
