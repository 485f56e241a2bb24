#include "lib/addr_allow.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Longest entry: an IPv6 address with a /128 prefix, and room to spare. */
#define ADDR_ENTRY_MAX 64

static bool parse_address(const char *text, int *family, unsigned char bytes[16])
{
    memset(bytes, 0, 16);
    if (inet_pton(AF_INET, text, bytes) == 1) {
        *family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, text, bytes) != 1)
        return false;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(bytes, mapped, sizeof(mapped)) == 0) {
        memmove(bytes, bytes + 12, 4);
        memset(bytes + 4, 0, 12);
        *family = AF_INET;
    } else {
        *family = AF_INET6;
    }
    return true;
}

static bool parse_entry(const char *entry, struct addr_block *b)
{
    char address[ADDR_ENTRY_MAX];
    const char *slash = strchr(entry, '/');
    size_t len = slash ? (size_t)(slash - entry) : strlen(entry);
    if (len == 0 || len >= sizeof(address))
        return false;
    memcpy(address, entry, len);
    address[len] = '\0';
    if (!parse_address(address, &b->family, b->bytes))
        return false;
    int max = b->family == AF_INET ? 32 : 128;
    b->prefix = max;
    if (slash) {
        char *end;
        errno = 0;
        long prefix = strtol(slash + 1, &end, 10);
        if (errno || end == slash + 1 || *end || prefix < 0 || prefix > max)
            return false;
        b->prefix = (int)prefix;
    }
    return true;
}

bool addr_allow_parse(const char *text, struct addr_allow *out)
{
    memset(out, 0, sizeof(*out));
    const char *p = text ? text : "";
    for (;;) {
        p += strspn(p, " \t");
        if (!*p)
            break;
        size_t len = strcspn(p, " \t");
        char entry[ADDR_ENTRY_MAX];
        if (out->n == ADDR_ALLOW_MAX || len >= sizeof(entry))
            goto bad;
        memcpy(entry, p, len);
        entry[len] = '\0';
        if (!parse_entry(entry, &out->blocks[out->n]))
            goto bad;
        out->n++;
        p += len;
    }
    if (out->n > 0)
        return true;
bad:
    memset(out, 0, sizeof(*out));
    return false;
}

static bool in_block(const struct addr_block *b, int family, const unsigned char bytes[16])
{
    if (b->family != family)
        return false;
    int full = b->prefix / 8, rest = b->prefix % 8;
    if (memcmp(b->bytes, bytes, (size_t)full) != 0)
        return false;
    if (rest == 0)
        return true;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (b->bytes[full] & mask) == (bytes[full] & mask);
}

bool addr_allow_match(const struct addr_allow *list, const char *address)
{
    int family;
    unsigned char bytes[16];
    if (!address || !parse_address(address, &family, bytes))
        return false;
    for (int i = 0; i < list->n; i++)
        if (in_block(&list->blocks[i], family, bytes))
            return true;
    return false;
}
