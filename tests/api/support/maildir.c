#include "support/maildir.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)n + 1);
    size_t got = data ? fread(data, 1, (size_t)n, f) : 0;
    fclose(f);
    if (data)
        data[got] = '\0';
    return data;
}

/* True when the message's To header names exactly this address. */
static int addressed_to(const char *raw, const char *to)
{
    char header[512];
    snprintf(header, sizeof(header), "\nTo: <%s>", to);
    return strcasestr(raw, header) != NULL;
}

static int hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Undoes quoted-printable over the whole message (harmless on the headers). */
static char *decode_qp(const char *raw)
{
    char *out = malloc(strlen(raw) + 1);
    size_t n = 0;
    for (const char *p = raw; *p; p++) {
        if (p[0] == '=' && p[1] == '\r' && p[2] == '\n') {
            p += 2;
        } else if (p[0] == '=' && p[1] == '\n') {
            p += 1;
        } else if (p[0] == '=' && hex(p[1]) >= 0 && hex(p[2]) >= 0) {
            out[n++] = (char)(hex(p[1]) * 16 + hex(p[2]));
            p += 2;
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
    return out;
}

/* Counts the messages to `to` (containing needle, when given) in new/; *newest receives the
 * decoded text of the most recent one. */
static int scan(const char *to, const char *needle, char **newest)
{
    const char *dir = getenv("PLI_TEST_MAILDIR");
    cr_assert_not_null(dir, "PLI_TEST_MAILDIR is not set");
    char path[1024];
    snprintf(path, sizeof(path), "%s/new", dir);
    DIR *d = opendir(path);
    if (!d)
        return 0;
    int count = 0;
    time_t newest_time = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char file[2048];
        snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
        char *raw = read_file(file);
        if (!raw || !addressed_to(raw, to)) {
            free(raw);
            continue;
        }
        char *text = decode_qp(raw);
        free(raw);
        if (needle && !strstr(text, needle)) {
            free(text);
            continue;
        }
        count++;
        struct stat st;
        stat(file, &st);
        if (newest && (!*newest || st.st_mtime >= newest_time)) {
            free(*newest);
            *newest = text;
            newest_time = st.st_mtime;
        } else {
            free(text);
        }
    }
    closedir(d);
    return count;
}

static void pause_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int maildir_count_for(const char *to, int timeout_ms, int expected)
{
    int count = 0;
    for (int waited = 0; waited <= timeout_ms; waited += 100) {
        count = scan(to, NULL, NULL);
        if (count >= expected)
            break;
        pause_ms(100);
    }
    return count;
}

char *maildir_wait_for(const char *to, const char *needle, int timeout_ms)
{
    for (int waited = 0; waited <= timeout_ms; waited += 100) {
        char *found = NULL;
        if (scan(to, needle, &found) > 0)
            return found;
        pause_ms(100);
    }
    return NULL;
}

char *maildir_raw_for(const char *to)
{
    const char *dir = getenv("PLI_TEST_MAILDIR");
    char path[1024];
    snprintf(path, sizeof(path), "%s/new", dir ? dir : ".");
    DIR *d = opendir(path);
    char *result = NULL;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        char file[2048];
        snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
        char *raw = e->d_name[0] == '.' ? NULL : read_file(file);
        if (raw && addressed_to(raw, to)) {
            free(result);
            result = raw;
        } else {
            free(raw);
        }
    }
    if (d)
        closedir(d);
    return result;
}

int maildir_extract_token(const char *text, const char *marker, char *out, size_t size)
{
    const char *p = strstr(text, marker);
    if (!p)
        return 0;
    p += strlen(marker);
    size_t n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    if (n == 0 || n >= size)
        return 0;
    memcpy(out, p, n);
    out[n] = '\0';
    return 1;
}
