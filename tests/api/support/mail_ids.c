#include "support/mail_ids.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "support/stack.h"

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = n >= 0 ? malloc((size_t)n + 1) : NULL;
    size_t got = data ? fread(data, 1, (size_t)n, f) : 0;
    fclose(f);
    if (data)
        data[got] = '\0';
    return data;
}

/* Copies the Message-ID of the header block (up to the first blank line) into out. */
static void message_id(const char *raw, char *out, size_t size)
{
    const char *end = strstr(raw, "\n\n"), *crlf = strstr(raw, "\r\n\r\n");
    if (!end || (crlf && crlf < end))
        end = crlf;
    out[0] = '\0';
    for (const char *p = raw; p && (!end || p < end); p = strchr(p, '\n')) {
        if (*p == '\n')
            p++;
        if (strncasecmp(p, "Message-ID:", 11) != 0)
            continue;
        p += 11;
        p += strspn(p, " \t<");
        size_t n = strcspn(p, ">\r\n");
        snprintf(out, size, "%.*s", (int)n, p);
        return;
    }
}

/* One pass over new/: counts and ids for every address of the list. */
static void scan(struct mail_ids *list, int n)
{
    const char *dir = getenv("PLI_TEST_MAILDIR");
    cr_assert_not_null(dir, "PLI_TEST_MAILDIR is not set");
    for (int i = 0; i < n; i++)
        list[i].count = 0;
    char path[1024];
    snprintf(path, sizeof(path), "%s/new", dir);
    DIR *d = opendir(path);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        char file[2048];
        snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
        char *raw = e->d_name[0] == '.' ? NULL : read_all(file);
        for (int i = 0; raw && i < n; i++) {
            char header[512];
            snprintf(header, sizeof(header), "\nTo: <%s>", list[i].to);
            if (!strcasestr(raw, header))
                continue;
            if (list[i].count < MAIL_IDS_PER_ADDRESS)
                message_id(raw, list[i].ids[list[i].count], sizeof(list[i].ids[0]));
            list[i].count++;
        }
        free(raw);
    }
    if (d)
        closedir(d);
}

int mail_ids_wait(struct mail_ids *list, int n, int timeout_ms)
{
    double deadline = stack_now() + timeout_ms / 1000.0;
    for (;;) {
        scan(list, n);
        int missing = 0;
        for (int i = 0; i < n; i++)
            missing += list[i].count == 0;
        if (missing == 0 || stack_now() >= deadline)
            return missing;
        stack_sleep(0.25);
    }
}
