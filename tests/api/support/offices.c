#include "support/offices.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "support/maildir.h"
#include "support/testdb.h"

const char *of_system_address(void)
{
    const char *from = getenv("PLI_MAIL_FROM");
    return from && *from ? from : "no-reply@pli.localhost";
}

void of_office(struct of_office *o, const char *name)
{
    teams_user(&o->admin);
    snprintf(o->name, sizeof(o->name), "%s", name);
    struct reply *r = client_json(&o->admin.c, "POST", "/api/v1/teams", "{s:s, s:s}", "name", name,
                                  "kind", "office");
    cr_assert_eq(r->status, 201, "create office: %ld %s", r->status, r->body);
    cr_assert_str_eq(teams_str(r->json, "kind"), "office", "%s", r->body);
    snprintf(o->id, sizeof(o->id), "%s", teams_str(r->json, "id"));
    reply_free(r);
}

void of_member(struct of_office *o, const char *first, const char *last, const char *role_id,
               struct teams_user *m)
{
    client_init(&m->c);
    client_unique_email(m->email, sizeof(m->email), "member");
    struct reply *r =
        client_json(&m->c, "POST", "/api/v1/auth/signup", "{s:s, s:s, s:s, s:s}", "email", m->email,
                    "password", CLIENT_PASSWORD, "first_name", first, "last_name", last);
    cr_assert_eq(r->status, 201, "signup: %ld %s", r->status, r->body);
    snprintf(m->id, sizeof(m->id), "%s", teams_str(json_object_get(r->json, "user"), "id"));
    reply_free(r);
    char invitation[TEAMS_ID_MAX], token[TEAMS_TOKEN_MAX];
    teams_invite(&o->admin.c, o->id, m->email, role_id, invitation);
    teams_wait_token(m->email, invitation, 1, token);
    r = client_send(&m->c, "POST", tpath("/api/v1/invitations/%s/accept", token), NULL, NULL);
    cr_assert_eq(r->status, 200, "accept: %ld %s", r->status, r->body);
    reply_free(r);
}

void of_leave(const struct of_office *o, struct teams_user *m)
{
    struct reply *r = client_send(&m->c, "DELETE",
                                  tpath("/api/v1/teams/%s/members/%s", o->id, m->id), NULL, NULL);
    cr_assert_eq(r->status, 204, "leave the office: %ld %s", r->status, r->body);
    reply_free(r);
}

void of_client_group(struct of_office *o, const char *name, const char *email,
                     char id[TEAMS_ID_MAX])
{
    struct reply *r =
        client_json(&o->admin.c, "POST", tpath("/api/v1/teams/%s/client-groups", o->id),
                    "{s:s, s:s*}", "name", name, "email", email);
    cr_assert_eq(r->status, 201, "create client group: %ld %s", r->status, r->body);
    snprintf(id, TEAMS_ID_MAX, "%s", teams_str(r->json, "id"));
    reply_free(r);
}

void of_matter(struct of_office *o, const char *reference, const char *manager, const char *group,
               char id[TEAMS_ID_MAX])
{
    struct reply *r = client_json(&o->admin.c, "POST", tpath("/api/v1/teams/%s/matters", o->id),
                                  "{s:s, s:s, s:s*, s:s*}", "reference", reference, "name",
                                  tpath("Dossier %s", reference), "manager_user_id", manager,
                                  "client_group_id", group);
    cr_assert_eq(r->status, 201, "create matter: %ld %s", r->status, r->body);
    snprintf(id, TEAMS_ID_MAX, "%s", teams_str(r->json, "id"));
    reply_free(r);
}

struct reply *of_put_settings(struct of_office *o, json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    static const char *const json_type[] = {"Content-Type: application/json", NULL};
    struct reply *r = client_send(&o->admin.c, "PUT",
                                  tpath("/api/v1/teams/%s/email-settings", o->id), text, json_type);
    free(text);
    return r;
}

/* The two addresses of a settings body (absent when NULL). */
static json_t *addresses(const char *functional, const char *communication)
{
    return json_pack("{s:s*, s:s*}", "functional_email", functional, "communication_email",
                     communication);
}

void of_addresses(struct of_office *o, const char *functional, const char *communication)
{
    struct reply *r = of_put_settings(o, addresses(functional, communication));
    cr_assert_eq(r->status, 200, "e-mail settings: %ld %s", r->status, r->body);
    reply_free(r);
}

void of_route_custom(struct of_office *o, const char *type, json_t *recipients,
                     const char *functional, const char *communication)
{
    json_t *body = addresses(functional, communication);
    json_object_set_new(body, "notifications",
                        json_pack("[{s:s, s:s, s:o}]", "type", type, "configuration", "custom",
                                  "recipients", recipients));
    struct reply *r = of_put_settings(o, body);
    cr_assert_eq(r->status, 200, "e-mail settings: %ld %s", r->status, r->body);
    reply_free(r);
}

struct reply *of_sender(struct of_office *o, const char *matter)
{
    return client_send(&o->admin.c, "GET",
                       tpath("/api/v1/teams/%s/matters/%s/sender", o->id, matter), NULL, NULL);
}

struct reply *of_create_client_user(struct client *c, const char *office, const char *matter,
                                    const char *email, const char *first, const char *last)
{
    return client_json(c, "POST", tpath("/api/v1/teams/%s/matters/%s/client-users", office, matter),
                       "{s:s, s:s, s:s}", "email", email, "first_name", first, "last_name", last);
}

void of_add_client_user(struct of_office *o, const char *matter, const char *status,
                        struct of_client *cu)
{
    if (!cu->email[0])
        client_unique_email(cu->email, sizeof(cu->email), "client");
    struct reply *r =
        of_create_client_user(&o->admin.c, o->id, matter, cu->email, "Jeanne", "Petit");
    cr_assert_eq(r->status, 201, "create client user: %ld %s", r->status, r->body);
    cr_assert_str_eq(teams_str(r->json, "status"), status, "%s", r->body);
    snprintf(cu->id, sizeof(cu->id), "%s", teams_str(r->json, "id"));
    snprintf(cu->user_id, sizeof(cu->user_id), "%s", teams_str(r->json, "user_id"));
    reply_free(r);
}

void of_mail_free(struct of_mail *m)
{
    free(m->raw);
    free(m->text);
    m->raw = m->text = NULL;
}

/* The raw message to `to` that holds needle (a Message-ID), to free; NULL when none. */
static char *raw_message(const char *to, const char *needle)
{
    char path[1024], file[2048], to_line[256];
    snprintf(path, sizeof(path), "%s/new", getenv("PLI_TEST_MAILDIR"));
    snprintf(to_line, sizeof(to_line), "\nTo: <%s>", to);
    DIR *d = opendir(path);
    char *found = NULL;
    for (struct dirent *e; d && !found && (e = readdir(d)) != NULL;) {
        snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
        FILE *f = e->d_name[0] == '.' ? NULL : fopen(file, "rb");
        if (!f)
            continue;
        fseek(f, 0, SEEK_END);
        long size = ftell(f);
        fseek(f, 0, SEEK_SET);
        char *raw = malloc((size_t)size + 1);
        raw[fread(raw, 1, (size_t)size, f)] = '\0';
        fclose(f);
        if (strstr(raw, needle) && strcasestr(raw, to_line))
            found = raw;
        else
            free(raw);
    }
    if (d)
        closedir(d);
    return found;
}

/* Waits for the e-mail to `to` holding needle and fills m. */
static void wait_mail(const char *to, const char *needle, struct of_mail *m)
{
    m->text = maildir_wait_for(to, needle, OF_MAIL_WAIT_MS);
    if (!m->text) {
        char *last = maildir_raw_for(to);
        cr_assert_fail("no e-mail with %s reached %s; one that did:\n%s", needle, to,
                       last ? last : "(none)");
    }
    m->raw = raw_message(to, needle);
    cr_assert_not_null(m->raw, "the e-mail with %s to %s vanished", needle, to);
}

void of_wait_welcome(const struct of_client *cu, int version, struct of_mail *m)
{
    char needle[128];
    snprintf(needle, sizeof(needle), "<welcome-%s-v%d@", cu->id, version);
    wait_mail(cu->email, needle, m);
}

void of_welcome_token(const char *text, char token[TEAMS_TOKEN_MAX])
{
    char marker[600];
    snprintf(marker, sizeof(marker), "%s/welcome/", client_base_url());
    cr_assert(maildir_extract_token(text, marker, token, TEAMS_TOKEN_MAX),
              "no link starting with %s in:\n%s", marker, text);
}

void of_signed_in_client(struct of_office *o, const char *matter, struct of_client *cu)
{
    of_add_client_user(o, matter, "invited", cu);
    of_welcome_sign_in(cu);
}

void of_welcome_sign_in(struct of_client *cu)
{
    struct of_mail m;
    char token[TEAMS_TOKEN_MAX];
    of_wait_welcome(cu, 1, &m);
    of_welcome_token(m.text, token);
    of_mail_free(&m);
    client_init(&cu->c);
    struct reply *r = client_json(&cu->c, "POST", tpath("/api/v1/welcome/%s/password", token),
                                  "{s:s}", "password", CLIENT_PASSWORD);
    cr_assert_eq(r->status, 200, "set the password: %ld %s", r->status, r->body);
    cr_assert(cu->c.session[0], "no session cookie: %s", r->body);
    reply_free(r);
}

/* Whether bytes are whole UTF-8 sequences (an encoded word must not end inside one). */
static int utf8_whole(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t n = s[i] < 0x80           ? 1
                   : (s[i] >> 5) == 0x6  ? 2
                   : (s[i] >> 4) == 0xE  ? 3
                   : (s[i] >> 3) == 0x1E ? 4
                                         : 0;
        if (n == 0 || i + n > len)
            return 0;
        for (size_t k = 1; k < n; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
        i += n;
    }
    return 1;
}

/* Decodes the RFC 2047 "B" encoded words of a header value in place (the white space between
 * two encoded words goes, as the RFC says); each word must be at most 75 characters and hold
 * whole UTF-8 characters. */
static void decode_words(char *value, size_t size)
{
    char *out = calloc(1, size), *p = value;
    size_t n = 0;
    int after_word = 0;
    while (*p && n + 1 < size) {
        char *end;
        if (strncasecmp(p, "=?UTF-8?B?", 10) == 0 && (end = strstr(p + 10, "?=")) != NULL) {
            unsigned char bin[256];
            size_t len = 0;
            cr_assert_eq(sodium_base642bin(bin, sizeof(bin), p + 10, (size_t)(end - p - 10), NULL,
                                           &len, NULL, sodium_base64_VARIANT_ORIGINAL),
                         0, "bad encoded word in %s", value);
            cr_assert_leq(end + 2 - p, 75, "encoded word over 75 characters in %s", value);
            cr_assert(utf8_whole(bin, len), "an encoded word splits a character in %s", value);
            if (n + len >= size)
                break;
            memcpy(out + n, bin, len);
            n += len;
            p = end + 2;
            after_word = 1;
            continue;
        }
        size_t spaces = strspn(p, " \t");
        if (after_word && spaces && strncasecmp(p + spaces, "=?UTF-8?B?", 10) == 0) {
            p += spaces;
            continue;
        }
        out[n++] = *p++;
        after_word = 0;
    }
    out[n] = '\0';
    memcpy(value, out, n + 1);
    free(out);
}

int of_header(const char *text, const char *name, int decode, char *out, size_t size)
{
    size_t name_len = strlen(name), n = 0;
    for (const char *line = text; line && *line != '\r' && *line != '\n';) {
        const char *next = strchr(line, '\n');
        if (strncasecmp(line, name, name_len) == 0 && line[name_len] == ':') {
            const char *v = line + name_len + 1;
            /* The value and its continuation lines (starting with a space or a tab). */
            for (;;) {
                while (*v == ' ' || *v == '\t')
                    v++;
                size_t len = strcspn(v, "\r\n");
                n += (size_t)snprintf(out + n, size > n ? size - n : 0, "%s%.*s", n ? " " : "",
                                      (int)len, v);
                next = strchr(v, '\n');
                if (!next || (next[1] != ' ' && next[1] != '\t'))
                    break;
                v = next + 1;
            }
            if (decode)
                decode_words(out, size);
            return 1;
        }
        line = next ? next + 1 : NULL;
    }
    return 0;
}

void of_expect_header(const char *text, const char *name, int decode, const char *expected)
{
    char value[1024];
    cr_assert(of_header(text, name, decode, value, sizeof(value)), "no %s: header in\n%s", name,
              text);
    cr_assert_str_eq(value, expected, "%s%s: got \"%s\", expected \"%s\" in\n%s", name,
                     decode ? " (decoded)" : "", value, expected, text);
}

static void pause_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

void of_wait_notification(const struct of_office *o, const char *to, const char *fragment,
                          struct of_mail *m)
{
    const char *params[] = {o->id, to, fragment};
    char id[TEAMS_ID_MAX] = "";
    for (int waited = 0; !id[0] && waited <= OF_MAIL_WAIT_MS; waited += 100) {
        PGresult *r = testdb_exec("SELECT id FROM notifications WHERE team_id = $1 "
                                  "AND $2 = ANY (recipients) AND strpos(subject, $3) > 0 "
                                  "ORDER BY created_at DESC LIMIT 1",
                                  3, params);
        if (PQntuples(r) == 1)
            snprintf(id, sizeof(id), "%s", PQgetvalue(r, 0, 0));
        PQclear(r);
        if (!id[0])
            pause_ms(100);
    }
    cr_assert(id[0], "no notification \"%s\" recorded for %s", fragment, to);
    char needle[128];
    snprintf(needle, sizeof(needle), "<notification-%s-v", id);
    wait_mail(to, needle, m);
    char subject[1024], prefix[OF_NAME_MAX + 4];
    cr_assert(of_header(m->raw, "Subject", 1, subject, sizeof(subject)), "no Subject:\n%s", m->raw);
    snprintf(prefix, sizeof(prefix), "[%s] ", o->name);
    cr_assert(strncmp(subject, prefix, strlen(prefix)) == 0 && strstr(subject, fragment),
              "Subject \"%s\" is not \"%s...%s...\"", subject, prefix, fragment);
}

int of_got_notification(const char *to)
{
    char *text = maildir_wait_for(to, "<notification-", OF_NO_MAIL_WAIT_MS);
    free(text);
    return text != NULL;
}

long of_notification_count(const struct of_office *o, const char *type)
{
    const char *params[] = {o->id, type};
    return testdb_long("SELECT count(*) FROM notifications WHERE team_id = $1 AND type = $2", 2,
                       params);
}

void of_assert_notification(const struct of_office *o, const char *type, const char *rule,
                            const char *const *recipients)
{
    const char *params[] = {o->id, type};
    PGresult *r = testdb_exec("SELECT rule, recipients::text, cardinality(recipients) "
                              "FROM notifications WHERE team_id = $1 AND type = $2 "
                              "ORDER BY created_at DESC LIMIT 1",
                              2, params);
    cr_assert_eq(PQntuples(r), 1, "no %s notification recorded", type);
    const char *list = PQgetvalue(r, 0, 1);
    cr_assert_str_eq(PQgetvalue(r, 0, 0), rule, "rule of %s (recipients %s)", type, list);
    long n = 0;
    for (const char *const *p = recipients; *p; p++, n++)
        cr_assert(strstr(list, *p), "%s not among the recipients %s of %s", *p, list, type);
    cr_assert_eq(strtol(PQgetvalue(r, 0, 2), NULL, 10), n, "recipients of %s: %s", type, list);
    PQclear(r);
}
