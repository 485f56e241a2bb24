/* Per-request memory: a bump allocator with registered destructors, freed in one go. */
#ifndef PLI_ARENA_H
#define PLI_ARENA_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

/* Creates an arena whose total allocations may not exceed cap bytes. */
struct arena *arena_new(size_t cap);
/* Runs every registered destructor (last first) and frees all memory except the first block;
 * true when the request had outgrown that block (a large request). */
bool arena_reset(struct arena *a);
/* Resets and frees the arena itself. */
void arena_free(struct arena *a);
/* Returns zeroed memory of n bytes, or NULL when the cap would be exceeded. */
void *arena_alloc(struct arena *a, size_t n);
/* Copies n bytes into the arena and NUL-terminates them. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Copies a NUL-terminated string into the arena (NULL stays NULL). */
char *arena_strdup(struct arena *a, const char *s);
/* printf into arena memory; NULL on overflow of the cap. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Registers fn(ptr) to run when the arena is reset; returns ptr (NULL on failure, after calling fn). */
void *arena_defer(struct arena *a, void (*fn)(void *), void *ptr);

#endif
