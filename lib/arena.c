#include "lib/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK_SIZE (64u * 1024u)

struct arena_block {
    struct arena_block *next;
    size_t size;
    size_t used;
    max_align_t data[];
};

struct arena_destructor {
    struct arena_destructor *next;
    void (*fn)(void *);
    void *ptr;
};

struct arena {
    struct arena_block *first;   /* kept across resets */
    struct arena_block *current; /* where small allocations go */
    struct arena_destructor *destructors;
    size_t cap;
    size_t total;
};

static struct arena_block *block_new(size_t size)
{
    struct arena_block *b = malloc(sizeof(*b) + size);
    if (!b)
        return NULL;
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

struct arena *arena_new(size_t cap)
{
    struct arena *a = calloc(1, sizeof(*a));
    if (!a)
        return NULL;
    a->cap = cap;
    a->first = a->current = block_new(ARENA_BLOCK_SIZE);
    if (!a->first) {
        free(a);
        return NULL;
    }
    return a;
}

bool arena_reset(struct arena *a)
{
    while (a->destructors) {
        struct arena_destructor *d = a->destructors;
        a->destructors = d->next;
        d->fn(d->ptr);
    }
    struct arena_block *b = a->first->next;
    bool grew = b != NULL;
    while (b) {
        struct arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->first->next = NULL;
    a->first->used = 0;
    a->current = a->first;
    a->total = 0;
    return grew;
}

void arena_free(struct arena *a)
{
    if (!a)
        return;
    arena_reset(a);
    free(a->first);
    free(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    if (n > SIZE_MAX - align)
        return NULL;
    size_t need = (n + align - 1) / align * align;
    if (need == 0)
        need = align;
    if (need > a->cap || a->total > a->cap - need)
        return NULL;
    struct arena_block *b = a->current;
    if (b->size - b->used < need) {
        b = block_new(need > ARENA_BLOCK_SIZE ? need : ARENA_BLOCK_SIZE);
        if (!b)
            return NULL;
        /* Linked after the first block; an oversize block never becomes current. */
        b->next = a->first->next;
        a->first->next = b;
        if (need <= ARENA_BLOCK_SIZE)
            a->current = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += need;
    a->total += need;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void *arena_defer(struct arena *a, void (*fn)(void *), void *ptr)
{
    if (!ptr)
        return NULL;
    struct arena_destructor *d = arena_alloc(a, sizeof(*d));
    if (!d) {
        fn(ptr);
        return NULL;
    }
    d->fn = fn;
    d->ptr = ptr;
    d->next = a->destructors;
    a->destructors = d;
    return ptr;
}
