#include "fcgi/request.h"

#include <ctype.h>
#include <fcgiapp.h>
#include <string.h>

const char *request_param(const struct request *req, const char *name)
{
    return FCGX_GetParam(name, (char **)req->envp);
}

const char *request_cookie(const struct request *req, const char *name)
{
    const char *header = request_param(req, "HTTP_COOKIE");
    size_t name_len = strlen(name);
    for (const char *p = header; p && *p;) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > name_len && strncmp(p, name, name_len) == 0 && p[name_len] == '=')
            return arena_strndup(req->arena, p + name_len + 1, len - name_len - 1);
        p = end;
    }
    return NULL;
}

const char *request_media_type(const struct request *req)
{
    const char *ct = request_param(req, "CONTENT_TYPE");
    if (!ct)
        return "";
    size_t len = strcspn(ct, ";");
    while (len > 0 && ct[len - 1] == ' ')
        len--;
    char *type = arena_strndup(req->arena, ct, len);
    if (!type)
        return "";
    for (char *p = type; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return type;
}

bool request_is_unsafe(const struct request *req)
{
    return strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0 &&
           strcmp(req->method, "OPTIONS") != 0;
}
