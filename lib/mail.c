#include "lib/mail.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Raw bytes per encoded word: 45 bytes make 60 base64 characters, within RFC 2047's 75. */
#define MAIL_WORD_BYTES 45
#define MAIL_HEADER_MAX 1024
#define MAIL_TIMEOUT_SECONDS 60L

static bool is_ascii_printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            return false;
    return true;
}

void mail_encode_header(const char *text, char *out, size_t size)
{
    if (is_ascii_printable(text)) {
        snprintf(out, size, "%s", text);
        return;
    }
    size_t used = 0, len = strlen(text);
    out[0] = '\0';
    for (size_t start = 0; start < len;) {
        size_t n = len - start < MAIL_WORD_BYTES ? len - start : MAIL_WORD_BYTES;
        /* Never split a UTF-8 sequence between two words. */
        while (start + n < len && ((unsigned char)text[start + n] & 0xC0) == 0x80)
            n--;
        char b64[sodium_base64_ENCODED_LEN(MAIL_WORD_BYTES, sodium_base64_VARIANT_ORIGINAL)];
        sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)text + start, n,
                          sodium_base64_VARIANT_ORIGINAL);
        int w = snprintf(out + used, size - used, "%s=?UTF-8?B?%s?=", used ? " " : "", b64);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
        start += n;
    }
}

/* RFC 5322 atext plus the space: what a display name may hold unquoted. */
static bool is_plain_phrase(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && !strchr(" !#$%&'*+-/=?^_`{|}~", c))
            return false;
    }
    return true;
}

void mail_encode_display_name(const char *name, char *out, size_t size)
{
    if (!is_ascii_printable(name)) {
        mail_encode_header(name, out, size);
        return;
    }
    if (is_plain_phrase(name)) {
        snprintf(out, size, "%s", name);
        return;
    }
    size_t used = 0;
    if (size < 3) {
        if (size)
            out[0] = '\0';
        return;
    }
    out[used++] = '"';
    for (; *name && used + 3 < size; name++) {
        if (*name == '"' || *name == '\\')
            out[used++] = '\\';
        out[used++] = *name;
    }
    out[used++] = '"';
    out[used] = '\0';
}

/* A plain addr-spec: printable ASCII without spaces, angle brackets, commas or quotes, one @. */
static bool address_is_safe(const char *a)
{
    if (!a || !*a || !strchr(a, '@') || strchr(a, '@') != strrchr(a, '@'))
        return false;
    for (; *a; a++)
        if ((unsigned char)*a <= 0x20 || (unsigned char)*a >= 0x7f || strchr("<>,;\"()[]\\", *a))
            return false;
    return true;
}

static bool has_line_break(const char *s)
{
    return s && strpbrk(s, "\r\n") != NULL;
}

static bool message_is_safe(const struct mail_message *msg)
{
    return address_is_safe(msg->from_address) && address_is_safe(msg->to) &&
           (!msg->cc || address_is_safe(msg->cc)) &&
           (!msg->sender_address || address_is_safe(msg->sender_address)) &&
           !has_line_break(msg->from_name) && !has_line_break(msg->subject) &&
           !has_line_break(msg->message_id);
}

void mail_html_escape(const char *text, char *out, size_t size)
{
    size_t used = 0;
    for (; *text && used + 7 < size; text++) {
        const char *rep = NULL;
        switch (*text) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: break;
        }
        if (rep) {
            size_t n = strlen(rep);
            memcpy(out + used, rep, n);
            used += n;
        } else {
            out[used++] = *text;
        }
    }
    out[used] = '\0';
}

static struct curl_slist *message_headers(const struct mail_message *msg)
{
    char line[MAIL_HEADER_MAX * 2], encoded[MAIL_HEADER_MAX], date[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    snprintf(date, sizeof(date), "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday],
             tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    struct curl_slist *h = NULL;
    snprintf(line, sizeof(line), "Date: %s", date);
    h = curl_slist_append(h, line);
    mail_encode_display_name(msg->from_name, encoded, sizeof(encoded));
    snprintf(line, sizeof(line), "From: %s <%s>", encoded, msg->from_address);
    h = curl_slist_append(h, line);
    if (msg->sender_address && strcmp(msg->sender_address, msg->from_address) != 0) {
        snprintf(line, sizeof(line), "Sender: <%s>", msg->sender_address);
        h = curl_slist_append(h, line);
    }
    snprintf(line, sizeof(line), "To: <%s>", msg->to);
    h = curl_slist_append(h, line);
    if (msg->cc) {
        snprintf(line, sizeof(line), "Cc: <%s>", msg->cc);
        h = curl_slist_append(h, line);
    }
    mail_encode_header(msg->subject, encoded, sizeof(encoded));
    snprintf(line, sizeof(line), "Subject: %s", encoded);
    h = curl_slist_append(h, line);
    snprintf(line, sizeof(line), "Message-ID: <%s>", msg->message_id);
    h = curl_slist_append(h, line);
    h = curl_slist_append(h, "MIME-Version: 1.0");
    return h;
}

/* Adds a text part with CRLF line ends (what SMTP and the quoted-printable encoder expect). */
static bool add_text_part(curl_mime *mime, const char *data, const char *type)
{
    size_t lines = 0, len = strlen(data);
    for (const char *p = data; *p; p++)
        lines += *p == '\n';
    char *crlf = malloc(len + lines + 1);
    if (!crlf)
        return false;
    size_t n = 0;
    for (const char *p = data; *p; p++) {
        if (*p == '\n' && (p == data || p[-1] != '\r'))
            crlf[n++] = '\r';
        crlf[n++] = *p;
    }
    curl_mimepart *part = curl_mime_addpart(mime);
    curl_mime_data(part, crlf, n); /* copied by libcurl */
    free(crlf);
    curl_mime_type(part, type);
    curl_mime_encoder(part, "quoted-printable");
    return true;
}

enum mail_result mail_send(const struct mail_server *server, const struct mail_message *msg,
                           char *error, size_t error_size)
{
    if (!message_is_safe(msg)) {
        snprintf(error, error_size, "refused: a header holds a line break or a malformed address");
        return MAIL_REJECTED;
    }
    CURL *curl = curl_easy_init();
    if (!curl) {
        snprintf(error, error_size, "libcurl could not start");
        return MAIL_TEMPORARY;
    }
    char address[MAIL_HEADER_MAX];
    struct curl_slist *recipients = NULL;
    snprintf(address, sizeof(address), "<%s>", msg->to);
    recipients = curl_slist_append(recipients, address);
    if (msg->cc) {
        snprintf(address, sizeof(address), "<%s>", msg->cc);
        recipients = curl_slist_append(recipients, address);
    }
    struct curl_slist *headers = message_headers(msg);
    curl_mime *mime = curl_mime_init(curl);
    curl_mime *alternative = curl_mime_init(curl);
    if (!add_text_part(alternative, msg->text, "text/plain; charset=UTF-8") ||
        (msg->html && !add_text_part(alternative, msg->html, "text/html; charset=UTF-8"))) {
        snprintf(error, error_size, "out of memory");
        curl_mime_free(alternative);
        curl_mime_free(mime);
        curl_slist_free_all(recipients);
        curl_slist_free_all(headers);
        curl_easy_cleanup(curl);
        return MAIL_TEMPORARY;
    }
    curl_mimepart *part = curl_mime_addpart(mime);
    curl_mime_subparts(part, alternative);
    curl_mime_type(part, "multipart/alternative");
    if (msg->attachment) {
        const struct mail_attachment *a = msg->attachment;
        curl_mimepart *file = curl_mime_addpart(mime);
        curl_mime_data(file, a->data, a->len); /* copied by libcurl */
        curl_mime_type(file, a->content_type);
        curl_mime_filename(file, a->filename);
        curl_mime_encoder(file, "base64");
    }

    char errbuf[CURL_ERROR_SIZE] = {0};
    snprintf(address, sizeof(address), "<%s>",
             msg->sender_address ? msg->sender_address : msg->from_address);
    curl_easy_setopt(curl, CURLOPT_URL, server->url);
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, address);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, MAIL_TIMEOUT_SECONDS);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (server->starttls)
        curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (server->ca_file)
        curl_easy_setopt(curl, CURLOPT_CAINFO, server->ca_file);
    if (server->username) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, server->username);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, server->password ? server->password : "");
    }
    CURLcode rc = curl_easy_perform(curl);
    long code = 0;
    if (rc != CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
        snprintf(error, error_size, "%s (server code %ld)", errbuf[0] ? errbuf : curl_easy_strerror(rc),
                 code);
    }
    curl_slist_free_all(recipients);
    curl_slist_free_all(headers);
    curl_mime_free(mime);
    curl_easy_cleanup(curl);
    if (rc == CURLE_OK)
        return MAIL_SENT;
    return code >= 500 && code < 600 ? MAIL_REJECTED : MAIL_TEMPORARY;
}
