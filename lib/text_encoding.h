/* Character encodings met in files people upload: UTF-8 (with or without BOM), Windows-1252. */
#ifndef PLI_TEXT_ENCODING_H
#define PLI_TEXT_ENCODING_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/arena.h"

/* True when [s, s+len) is well-formed UTF-8 (no overlong forms, no surrogates). */
bool text_is_utf8(const char *s, size_t len);
/* Converts Windows-1252 bytes to UTF-8 in the arena; *out_len receives the length. */
char *text_cp1252_to_utf8(struct arena *arena, const char *s, size_t len, size_t *out_len);
/* Skips a UTF-8 byte order mark; returns how many bytes it took (0 or 3). */
size_t text_bom_length(const char *s, size_t len);

#endif
