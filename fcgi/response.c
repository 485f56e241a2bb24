#include "fcgi/response.h"

#include <string.h>

#include "lib/log.h"

void response_init(struct response *resp, struct arena *arena, const char *request_id)
{
    memset(resp, 0, sizeof(*resp));
    resp->arena = arena;
    resp->request_id = request_id;
    resp->status = 500;
}

void response_header(struct response *resp, const char *name, const char *value)
{
    if (resp->n_headers >= RESPONSE_HEADERS_MAX) {
        log_error("response: header %s dropped, too many headers", name);
        return;
    }
    resp->headers[resp->n_headers++] =
        (struct response_header){arena_strdup(resp->arena, name), arena_strdup(resp->arena, value)};
}

void response_json_typed(struct response *resp, int status, json_t *body,
                         const char *content_type)
{
    /* Small bodies (problems) still fit here when the request has used up its arena. */
    static char spare[2048];
    size_t len = body ? json_dumpb(body, NULL, 0, JSON_COMPACT) : 0;
    char *text = len ? arena_alloc(resp->arena, len) : NULL;
    if (!text && len && len <= sizeof(spare))
        text = spare;
    if (!body || !text || json_dumpb(body, text, len, JSON_COMPACT) != len) {
        json_decref(body);
        resp->status = 500;
        resp->content_type = "application/problem+json";
        resp->body = "{\"type\":\"urn:pli:problem:internal_error\",\"title\":\"Internal error\","
                     "\"status\":500,\"detail\":\"Internal error\",\"code\":\"internal_error\","
                     "\"instance\":\"urn:pli:request:-\"}";
        resp->body_len = strlen(resp->body);
        return;
    }
    json_decref(body);
    resp->status = status;
    resp->content_type = content_type;
    resp->body = text;
    resp->body_len = len;
}

void response_json(struct response *resp, int status, json_t *body)
{
    response_json_typed(resp, status, body, "application/json");
}

void response_bytes(struct response *resp, int status, const char *content_type,
                    const void *data, size_t len)
{
    resp->status = status;
    resp->content_type = content_type;
    resp->body = data;
    resp->body_len = len;
}

#define FILENAME_HEADER_MAX 2048

void response_attachment(struct response *resp, const char *content_type, const char *filename,
                         const void *data, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    char ascii[256], encoded[FILENAME_HEADER_MAX / 2];
    size_t a = 0, e = 0;
    for (const unsigned char *p = (const unsigned char *)filename; *p; p++) {
        bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_';
        if (a + 1 < sizeof(ascii))
            ascii[a++] = plain ? (char)*p : '_';
        if (plain && e + 1 < sizeof(encoded)) {
            encoded[e++] = (char)*p;
        } else if (!plain && e + 3 < sizeof(encoded)) {
            encoded[e++] = '%';
            encoded[e++] = hex[*p >> 4];
            encoded[e++] = hex[*p & 15];
        }
    }
    ascii[a] = '\0';
    encoded[e] = '\0';
    response_header(resp, "Content-Disposition",
                    arena_printf(resp->arena, "attachment; filename=\"%s\"; filename*=UTF-8''%s",
                                 ascii, encoded));
    response_bytes(resp, 200, content_type, data, len);
}

void response_empty(struct response *resp, int status)
{
    resp->status = status;
    resp->content_type = NULL;
    resp->body = NULL;
    resp->body_len = 0;
}

static const char *reason_phrase(int status)
{
    static const struct {
        int status;
        const char *reason;
    } reasons[] = {
        {200, "OK"},           {402, "Payment Required"},           {201, "Created"},           {204, "No Content"},
        {400, "Bad Request"},  {401, "Unauthorized"},      {403, "Forbidden"},
        {404, "Not Found"},    {405, "Method Not Allowed"}, {409, "Conflict"}, {410, "Gone"},
        {413, "Content Too Large"}, {415, "Unsupported Media Type"},
        {422, "Unprocessable Content"}, {429, "Too Many Requests"},
        {500, "Internal Server Error"}, {503, "Service Unavailable"},
    };
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (reasons[i].status == status)
            return reasons[i].reason;
    return "";
}

void response_write(const struct response *resp, FCGX_Stream *out, bool with_body)
{
    FCGX_FPrintF(out, "Status: %d %s\r\n", resp->status, reason_phrase(resp->status));
    if (resp->content_type)
        FCGX_FPrintF(out, "Content-Type: %s\r\n", resp->content_type);
    FCGX_FPrintF(out, "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n");
    if (resp->request_id)
        FCGX_FPrintF(out, "X-Request-Id: %s\r\n", resp->request_id);
    for (int i = 0; i < resp->n_headers; i++)
        if (resp->headers[i].name && resp->headers[i].value)
            FCGX_FPrintF(out, "%s: %s\r\n", resp->headers[i].name, resp->headers[i].value);
    if (resp->body_len)
        FCGX_FPrintF(out, "Content-Length: %lu\r\n", (unsigned long)resp->body_len);
    FCGX_PutS("\r\n", out);
    if (with_body && resp->body_len)
        FCGX_PutStr(resp->body, (int)resp->body_len, out);
}
