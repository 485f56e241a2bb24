/* The response a handler fills; one writer emits it to the FastCGI stream. */
#ifndef PLI_RESPONSE_H
#define PLI_RESPONSE_H

#include <fcgiapp.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/arena.h"

#define RESPONSE_HEADERS_MAX 16

struct response_header {
    const char *name;
    const char *value;
};

struct response {
    struct arena *arena;
    const char *request_id;
    int status;
    const char *content_type;
    struct response_header headers[RESPONSE_HEADERS_MAX];
    int n_headers;
    const char *body;
    size_t body_len;
};

/* Prepares an empty 500 response whose memory lives in arena. */
void response_init(struct response *resp, struct arena *arena, const char *request_id);
/* Adds a header (copied); silently dropped past RESPONSE_HEADERS_MAX. */
void response_header(struct response *resp, const char *name, const char *value);
/* Sets status and a JSON body (application/json); takes the reference to body. */
void response_json(struct response *resp, int status, json_t *body);
/* Same with another JSON media type (application/problem+json). */
void response_json_typed(struct response *resp, int status, json_t *body,
                         const char *content_type);
/* Sets status and a body of bytes that outlive the request (static or arena memory). */
void response_bytes(struct response *resp, int status, const char *content_type,
                    const void *data, size_t len);
/* Answers 200 with a file to download: bytes that outlive the request, and a
 * Content-Disposition naming it (an ASCII fallback and the UTF-8 name per RFC 6266/8187). */
void response_attachment(struct response *resp, const char *content_type, const char *filename,
                         const void *data, size_t len);
/* Sets a status with no body (204, or 201 with a Location). */
void response_empty(struct response *resp, int status);
/* Writes status line, headers and (unless with_body is false, for HEAD) the body. */
void response_write(const struct response *resp, FCGX_Stream *out, bool with_body);

#endif
