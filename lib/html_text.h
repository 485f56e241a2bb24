/* The readable text of an HTML document (libxml2's HTML parser): scripts and styles left out,
 * a line break after each block, white space folded. */
#ifndef PLI_HTML_TEXT_H
#define PLI_HTML_TEXT_H

#include <stddef.h>

#include "lib/arena.h"

/* Returns the text of html, which must be UTF-8 (in arena); "" when there is none or on
 * failure. */
char *html_text(const char *html, size_t len, struct arena *arena);

#endif
