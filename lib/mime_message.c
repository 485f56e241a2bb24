#include "lib/mime_message.h"

#include <ctype.h>
#include <gmime/gmime.h>
#include <stdio.h>
#include <string.h>

#include "lib/html_text.h"

void mime_message_init(void)
{
    static bool started;
    if (!started) {
        g_mime_init();
        started = true;
    }
}

/* A copy in the arena that is valid UTF-8 (bad bytes become U+FFFD): what a message says is
 * never trusted to be well formed. */
static char *clean(struct arena *arena, const char *s)
{
    if (!s)
        return NULL;
    char *valid = g_utf8_make_valid(s, -1);
    char *copy = arena_strdup(arena, valid);
    g_free(valid);
    return copy;
}

/* The same for a GLib string, which is freed. */
static const char *take(struct arena *arena, char *s)
{
    if (!s)
        return NULL;
    const char *copy = clean(arena, s);
    g_free(s);
    return copy;
}

static const char *lower_copy(struct arena *arena, const char *s)
{
    char *copy = clean(arena, s);
    for (char *p = copy; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return copy;
}

/* Appends the mailboxes of a list (groups opened) to out, up to max. */
static void add_addresses(InternetAddressList *list, struct arena *arena,
                          struct mime_address *out, size_t *n, size_t max)
{
    for (int i = 0; list && i < internet_address_list_length(list); i++) {
        InternetAddress *ia = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(ia)) {
            add_addresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), arena,
                          out, n, max);
        } else if (INTERNET_ADDRESS_IS_MAILBOX(ia) && *n < max) {
            const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
            const char *name = internet_address_get_name(ia);
            if (!addr || !*addr)
                continue;
            out[*n].address = lower_copy(arena, addr);
            out[*n].name = name && *name ? clean(arena, name) : NULL;
            (*n)++;
        }
    }
}

/* The ids of a References or In-Reply-To header. */
static void add_references(GMimeObject *obj, const char *header, struct arena *arena,
                           const char **out, size_t *n, size_t max)
{
    const char *value = g_mime_object_get_header(obj, header);
    if (!value)
        return;
    GMimeReferences *refs = g_mime_references_parse(NULL, value);
    for (int i = 0; refs && i < g_mime_references_length(refs) && *n < max; i++)
        out[(*n)++] = clean(arena, g_mime_references_get_message_id(refs, i));
    if (refs)
        g_mime_references_free(refs);
}

/* The decoded bytes of a part's content, in the arena. */
static const unsigned char *part_bytes(GMimePart *part, struct arena *arena, size_t *len)
{
    *len = 0;
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    if (!content)
        return (const unsigned char *)"";
    GMimeStream *mem = g_mime_stream_mem_new();
    g_mime_data_wrapper_write_to_stream(content, mem);
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    unsigned char *copy = arena_alloc(arena, bytes->len + 1);
    if (copy) {
        if (bytes->len)
            memcpy(copy, bytes->data, bytes->len);
        copy[bytes->len] = '\0';
        *len = bytes->len;
    }
    g_object_unref(mem);
    return copy ? copy : (const unsigned char *)"";
}

struct walk {
    struct mime_message *out;
    struct arena *arena;
    const char *plain, *html;
};

static void add_attachment(struct walk *w, const char *filename, const char *type,
                           const unsigned char *data, size_t len, bool forwarded)
{
    struct mime_message *m = w->out;
    if (m->n_attachments >= MIME_ATTACHMENTS_MAX)
        return;
    const char *name = filename && *filename
                           ? clean(w->arena, filename)
                           : arena_printf(w->arena, "piece-jointe-%zu%s", m->n_attachments + 1,
                                          forwarded ? ".eml" : "");
    const char *content_type = lower_copy(w->arena, type);
    if (!name || !content_type)
        return; /* the arena is full: the raw message still holds it */
    struct mime_attachment *a = &m->attachments[m->n_attachments++];
    a->filename = name;
    a->content_type = content_type;
    a->data = data;
    a->len = len;
    a->forwarded = forwarded;
}

/* A forwarded message is kept whole, written back with CR LF line ends (the form it travels in). */
static void add_forwarded(struct walk *w, GMimeMessagePart *part)
{
    GMimeMessage *inner = g_mime_message_part_get_message(part);
    if (!inner)
        return;
    GMimeStream *mem = g_mime_stream_mem_new();
    GMimeFormatOptions *crlf = g_mime_format_options_new();
    g_mime_format_options_set_newline_format(crlf, GMIME_NEWLINE_FORMAT_DOS);
    g_mime_object_write_to_stream(GMIME_OBJECT(inner), crlf, mem);
    g_mime_format_options_free(crlf);
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    unsigned char *copy = arena_alloc(w->arena, bytes->len + 1);
    if (copy) {
        if (bytes->len)
            memcpy(copy, bytes->data, bytes->len);
        const char *subject = g_mime_message_get_subject(inner);
        add_attachment(w, subject ? arena_printf(w->arena, "%s.eml", subject) : NULL,
                       "message/rfc822", copy, bytes->len, true);
    }
    g_object_unref(mem);
}

static void visit(GMimeObject *parent, GMimeObject *part, gpointer data)
{
    (void)parent;
    struct walk *w = data;
    if (GMIME_IS_MESSAGE_PART(part)) {
        add_forwarded(w, GMIME_MESSAGE_PART(part));
        return;
    }
    if (!GMIME_IS_PART(part))
        return; /* multiparts are walked into by g_mime_message_foreach */
    GMimeContentType *ct = g_mime_object_get_content_type(part);
    char *type = g_mime_content_type_get_mime_type(ct);
    bool attachment = g_mime_part_is_attachment(GMIME_PART(part));
    if (!attachment && GMIME_IS_TEXT_PART(part) &&
        g_mime_content_type_is_type(ct, "text", "plain") && !w->plain) {
        w->plain = take(w->arena, g_mime_text_part_get_text(GMIME_TEXT_PART(part)));
    } else if (!attachment && GMIME_IS_TEXT_PART(part) &&
               g_mime_content_type_is_type(ct, "text", "html") && !w->html) {
        w->html = take(w->arena, g_mime_text_part_get_text(GMIME_TEXT_PART(part)));
    } else {
        size_t len;
        const unsigned char *bytes = part_bytes(GMIME_PART(part), w->arena, &len);
        add_attachment(w, g_mime_part_get_filename(GMIME_PART(part)), type, bytes, len, false);
    }
    g_free(type);
}

static void read_headers(GMimeMessage *msg, struct arena *arena, struct mime_message *out)
{
    const char *subject = g_mime_message_get_subject(msg);
    out->subject = subject ? clean(arena, subject) : NULL;
    struct mime_address from[1];
    size_t n_from = 0;
    add_addresses(g_mime_message_get_from(msg), arena, from, &n_from, 1);
    if (n_from)
        out->from = from[0];
    add_addresses(g_mime_message_get_to(msg), arena, out->to, &out->n_to, MIME_ADDRESSES_MAX);
    add_addresses(g_mime_message_get_cc(msg), arena, out->cc, &out->n_cc, MIME_ADDRESSES_MAX);
    GDateTime *date = g_mime_message_get_date(msg);
    if (date) {
        GDateTime *utc = g_date_time_to_utc(date);
        out->date = take(arena, g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ"));
        g_date_time_unref(utc);
    }
    const char *id = g_mime_message_get_message_id(msg);
    out->message_id = id && *id ? clean(arena, id) : NULL;
    const char *in_reply_to[1];
    size_t n_in_reply_to = 0;
    add_references(GMIME_OBJECT(msg), "In-Reply-To", arena, in_reply_to, &n_in_reply_to, 1);
    out->in_reply_to = n_in_reply_to ? in_reply_to[0] : NULL;
    add_references(GMIME_OBJECT(msg), "References", arena, out->references,
                   &out->n_references, MIME_REFERENCES_MAX);
}

bool mime_message_parse(const char *raw, size_t len, struct arena *arena, struct mime_message *out,
                        char *error, size_t error_size)
{
    memset(out, 0, sizeof(*out));
    out->text = "";
    mime_message_init();
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer(raw, len);
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    GMimeMessage *msg = g_mime_parser_construct_message(parser, NULL);
    g_object_unref(parser);
    g_object_unref(stream);
    if (!msg) {
        snprintf(error, error_size, "not a message: no header could be read");
        return false;
    }
    GMimeHeaderList *headers = g_mime_object_get_header_list(GMIME_OBJECT(msg));
    if (!headers || g_mime_header_list_get_count(headers) == 0) {
        g_object_unref(msg);
        snprintf(error, error_size, "not a message: no header could be read");
        return false;
    }
    read_headers(msg, arena, out);
    struct walk w = {out, arena, NULL, NULL};
    GMimeObject *body = g_mime_message_get_mime_part(msg);
    if (body && GMIME_IS_MULTIPART(body))
        g_mime_multipart_foreach(GMIME_MULTIPART(body), visit, &w);
    else if (body)
        visit(NULL, body, &w);
    if (w.plain) {
        out->text = w.plain;
    } else if (w.html) {
        out->text = html_text(w.html, strlen(w.html), arena);
        out->text_from_html = true;
    }
    g_object_unref(msg);
    return true;
}
