#include "lib/html_text.h"

#include <libxml/HTMLparser.h>
#include <string.h>

/* Elements after which the text continues on a new line. */
static bool is_block(const char *name)
{
    static const char *const blocks[] = {"p",  "div", "br", "li", "tr", "h1", "h2", "h3", "h4",
                                         "h5", "h6",  "table", "ul", "ol", "blockquote", "pre",
                                         "hr", NULL};
    for (const char *const *b = blocks; *b; b++)
        if (strcmp(*b, name) == 0)
            return true;
    return false;
}

struct text_out {
    char *buf;
    size_t len, cap;
    bool space_pending, at_line_start;
};

static void put(struct text_out *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap)
        n = t->cap > t->len + 1 ? t->cap - t->len - 1 : 0;
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = '\0';
}

static void newline(struct text_out *t)
{
    if (t->len > 0 && !t->at_line_start)
        put(t, "\n", 1);
    t->at_line_start = true;
    t->space_pending = false;
}

/* Appends text with runs of white space folded into one space. */
static void put_text(struct text_out *t, const char *s)
{
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f') {
            t->space_pending = !t->at_line_start;
            continue;
        }
        if (t->space_pending)
            put(t, " ", 1);
        t->space_pending = false;
        t->at_line_start = false;
        put(t, s, 1);
    }
}

static void walk(xmlNode *node, struct text_out *t)
{
    for (xmlNode *n = node; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            put_text(t, (const char *)n->content);
        } else if (n->type == XML_ELEMENT_NODE) {
            const char *name = (const char *)n->name;
            if (strcmp(name, "script") == 0 || strcmp(name, "style") == 0 ||
                strcmp(name, "head") == 0)
                continue;
            bool block = is_block(name);
            if (block)
                newline(t);
            walk(n->children, t);
            if (block)
                newline(t);
        }
    }
}

char *html_text(const char *html, size_t len, struct arena *arena)
{
    if (len > (size_t)INT32_MAX)
        return arena_strdup(arena, "");
    htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
                                    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                        HTML_PARSE_NONET | HTML_PARSE_RECOVER);
    if (!doc)
        return arena_strdup(arena, "");
    struct text_out t = {.cap = len + 1, .at_line_start = true};
    t.buf = arena_alloc(arena, t.cap);
    if (!t.buf) {
        xmlFreeDoc(doc);
        return arena_strdup(arena, "");
    }
    t.buf[0] = '\0';
    walk(xmlDocGetRootElement(doc), &t);
    xmlFreeDoc(doc);
    while (t.len > 0 && (t.buf[t.len - 1] == '\n' || t.buf[t.len - 1] == ' '))
        t.buf[--t.len] = '\0';
    return t.buf;
}
