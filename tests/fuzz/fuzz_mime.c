/* Reading e-mails on any bytes: mime_message_parse in a fresh arena sized as pli-jobs sizes it
 * (job_mailbox_poll.c: three times the message plus 4 MiB), then html_text on the same bytes.
 * What mime_message.h promises is checked: texts where it says there are texts, every string
 * valid UTF-8, addresses and types lower-cased, the caps kept, attachment bytes readable. */
#include <stdint.h>

#include "lib/html_text.h"
#include "lib/mime_message.h"
#include "tests/fuzz/common.h"

/* PARSE_ARENA_OVERHEAD of jobs/job_mailbox_poll.c. */
#define PARSE_OVERHEAD (4u * 1024u * 1024u)

static void check_utf8(const char *s)
{
    FUZZ_CHECK(text_is_utf8(s, strlen(s)));
}

static void check_no_upper(const char *s)
{
    for (; *s; s++)
        FUZZ_CHECK(!(*s >= 'A' && *s <= 'Z'));
}

static void check_addresses(const struct mime_address *list, size_t n)
{
    FUZZ_CHECK(n <= MIME_ADDRESSES_MAX);
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(list[i].address && *list[i].address);
        check_utf8(list[i].address);
        check_no_upper(list[i].address);
        FUZZ_CHECK(!list[i].name ||
                   (*list[i].name && text_is_utf8(list[i].name, strlen(list[i].name))));
    }
}

static void check_message(const struct mime_message *m)
{
    FUZZ_CHECK(m->text);
    check_utf8(m->text);
    if (m->subject)
        check_utf8(m->subject);
    check_addresses(&m->from, m->from.address ? 1 : 0);
    FUZZ_CHECK(m->from.address || !m->from.name);
    check_addresses(m->to, m->n_to);
    check_addresses(m->cc, m->n_cc);
    if (m->date) {
        /* YYYY-MM-DDTHH:MM:SSZ */
        FUZZ_CHECK(strlen(m->date) == 20 && m->date[4] == '-' && m->date[10] == 'T' &&
                   m->date[19] == 'Z');
    }
    if (m->message_id)
        FUZZ_CHECK(*m->message_id && text_is_utf8(m->message_id, strlen(m->message_id)));
    if (m->in_reply_to)
        check_utf8(m->in_reply_to);
    FUZZ_CHECK(m->n_references <= MIME_REFERENCES_MAX);
    for (size_t i = 0; i < m->n_references; i++) {
        FUZZ_CHECK(m->references[i]);
        check_utf8(m->references[i]);
    }
    FUZZ_CHECK(m->n_attachments <= MIME_ATTACHMENTS_MAX);
    for (size_t i = 0; i < m->n_attachments; i++) {
        const struct mime_attachment *a = &m->attachments[i];
        FUZZ_CHECK(a->filename && *a->filename);
        check_utf8(a->filename);
        FUZZ_CHECK(a->content_type && strchr(a->content_type, '/'));
        check_utf8(a->content_type);
        check_no_upper(a->content_type);
        FUZZ_CHECK(!a->forwarded || strcmp(a->content_type, "message/rfc822") == 0);
        FUZZ_CHECK(a->data);
        /* Every byte is there to read (AddressSanitizer sees the rest). */
        volatile unsigned sum = 0;
        for (size_t k = 0; k < a->len; k++)
            sum += a->data[k];
        (void)sum;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mime_message_init();
    static struct mime_message m;
    struct arena *arena = arena_new(3 * size + PARSE_OVERHEAD);
    FUZZ_CHECK(arena);
    char error[160];
    memset(error, 0xff, sizeof(error));
    if (mime_message_parse((const char *)data, size, arena, &m, error, sizeof(error)))
        check_message(&m);
    else
        FUZZ_CHECK(memchr(error, '\0', sizeof(error)) && error[0]);
    arena_free(arena);

    /* html_text promises UTF-8 out; it is given UTF-8 (mime_message cleans what it hands it),
     * so the check holds for valid input only. Other input must merely not break it. */
    arena = arena_new(FUZZ_ARENA_CAP);
    FUZZ_CHECK(arena);
    const char *text = html_text((const char *)data, size, arena);
    FUZZ_CHECK(text);
    FUZZ_CHECK(strlen(text) <= size);
    if (text_is_utf8((const char *)data, size))
        check_utf8(text);
    arena_free(arena);
    return 0;
}
