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

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *request_url_decode(struct arena *arena, const char *s, size_t len, bool plus_is_space)
{
    char *out = arena_alloc(arena, len + 1);
    size_t n = 0;
    for (size_t i = 0; out && i < len; i++) {
        if (s[i] == '+' && plus_is_space) {
            out[n++] = ' ';
        } else if (s[i] == '%') {
            if (i + 2 >= len)
                return NULL;
            int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return NULL;
            out[n++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[n++] = s[i];
        }
    }
    if (out)
        out[n] = '\0';
    return out;
}

const char *request_query(const struct request *req, const char *name)
{
    size_t name_len = strlen(name);
    for (const char *p = req->query; p && *p;) {
        size_t len = strcspn(p, "&");
        const char *eq = memchr(p, '=', len);
        size_t key_len = eq ? (size_t)(eq - p) : len;
        if (key_len == name_len && strncmp(p, name, name_len) == 0)
            return eq ? request_url_decode(req->arena, eq + 1, len - key_len - 1, true) : "";
        p += len;
        if (*p == '&')
            p++;
    }
    return NULL;
}
