#include "support/pop3.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support/stack.h"

static const char *env(const char *name)
{
    const char *value = getenv(name);
    cr_assert(value && *value, "%s is not set (run the API tests through scripts/test)", name);
    return value;
}

const char *p3_host(void)
{
    return "127.0.0.1";
}

int p3_port(const char *tls)
{
    const char *name =
        tls && strcmp(tls, "implicit") == 0 ? "PLI_TEST_POP3S_PORT" : "PLI_TEST_POP3_PORT";
    return stack_env_port(name);
}

const char *p3_ca_file(void)
{
    return env("PLI_TEST_POP3_CA_FILE");
}

static void random_bytes(unsigned char *out, size_t n)
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    cr_assert_geq(fd, 0, "/dev/urandom: %s", strerror(errno));
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, out + got, n - got);
        cr_assert_gt(r, 0, "/dev/urandom: %s", strerror(errno));
        got += (size_t)r;
    }
    close(fd);
}

/* Runs scripts/lib/pop3-account for the account; fails the test when it fails. */
static void run_account_script(const struct p3_account *a)
{
    const char *script = env("PLI_TEST_POP3_ACCOUNT");
    const char *dir = env("PLI_TEST_POP3_DIR");
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, STDOUT_FILENO);
        execl(script, script, "--dir", dir, a->user, a->password, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s %s failed (status %d)", script,
              a->user, status);
}

void p3_account_new(struct p3_account *a, const char *password)
{
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char r[6 + 20];
    random_bytes(r, sizeof(r));
    memset(a, 0, sizeof(*a));
    snprintf(a->user, sizeof(a->user), "p3%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4],
             r[5]);
    if (password) {
        int w = snprintf(a->password, sizeof(a->password), "%s", password);
        cr_assert(w >= 0 && (size_t)w < sizeof(a->password), "password too long");
    } else {
        for (size_t i = 0; i < 20; i++)
            a->password[i] = alnum[r[6 + i] % (sizeof(alnum) - 1)];
    }
    snprintf(a->maildir, sizeof(a->maildir), "%s/mail/%s", env("PLI_TEST_POP3_DIR"), a->user);
    run_account_script(a);
}

void p3_account_set_password(struct p3_account *a, const char *password)
{
    cr_assert_lt(strlen(password), sizeof(a->password), "password too long");
    snprintf(a->password, sizeof(a->password), "%s", password);
    run_account_script(a);
}

/* A Maildir file name, unique and later than the previous one of this process: dovecot gives
 * the new messages of a folder their UIDs in the order of the time at the start of the name. */
static void unique_name(char *name, size_t size)
{
    static long long last_sec;
    static long last_usec;
    static unsigned counter;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    long long sec = tv.tv_sec;
    long usec = tv.tv_usec;
    if (sec < last_sec || (sec == last_sec && usec <= last_usec)) {
        sec = last_sec;
        usec = last_usec + 1;
        if (usec >= 1000000) {
            sec++;
            usec = 0;
        }
    }
    last_sec = sec;
    last_usec = usec;
    unsigned char r[4];
    random_bytes(r, sizeof(r));
    int n = snprintf(name, size, "%lld.M%06ldP%dQ%uR%02x%02x%02x%02x.pli-tests", sec, usec,
                     (int)getpid(), ++counter, r[0], r[1], r[2], r[3]);
    cr_assert(n > 0 && (size_t)n < size, "name buffer too small");
}

void p3_drop(const struct p3_account *a, const void *data, size_t len, char *name, size_t size)
{
    unique_name(name, size);
    char tmp[2048], dest[2048];
    snprintf(tmp, sizeof(tmp), "%s/tmp/%s", a->maildir, name);
    snprintf(dest, sizeof(dest), "%s/new/%s", a->maildir, name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    cr_assert_geq(fd, 0, "%s: %s", tmp, strerror(errno));
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, (const char *)data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        cr_assert_gt(w, 0, "%s: %s", tmp, strerror(errno));
        done += (size_t)w;
    }
    /* When the tests run as root, dovecot runs as another user: the file becomes its. */
    struct stat st;
    if (geteuid() == 0 && stat(a->maildir, &st) == 0)
        cr_assert_eq(fchown(fd, st.st_uid, st.st_gid), 0, "chown %s: %s", tmp, strerror(errno));
    cr_assert_eq(close(fd), 0, "%s: %s", tmp, strerror(errno));
    cr_assert_eq(rename(tmp, dest), 0, "%s: %s", dest, strerror(errno));
}

void p3_drop_text(const struct p3_account *a, const char *message, char *name, size_t size)
{
    p3_drop(a, message, strlen(message), name, size);
}

static int count_in(const char *maildir, const char *sub)
{
    char path[2048];
    snprintf(path, sizeof(path), "%s/%s", maildir, sub);
    DIR *d = opendir(path);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

int p3_count(const struct p3_account *a)
{
    return count_in(a->maildir, "new") + count_in(a->maildir, "cur");
}

int p3_wait_count(const struct p3_account *a, int expected, int timeout_ms)
{
    int count = p3_count(a);
    for (int waited = 0; count != expected && waited < timeout_ms; waited += 100) {
        struct timespec ts = {0, 100 * 1000000L};
        nanosleep(&ts, NULL);
        count = p3_count(a);
    }
    return count;
}

/* The path of the message dropped under `name`, in new/ or (renamed "name:2,...") in cur/. */
static int find_message(const struct p3_account *a, const char *name, char *path, size_t size)
{
    struct stat st;
    snprintf(path, size, "%s/new/%s", a->maildir, name);
    if (stat(path, &st) == 0)
        return 1;
    char cur[2048];
    snprintf(cur, sizeof(cur), "%s/cur", a->maildir);
    DIR *d = opendir(cur);
    if (!d)
        return 0;
    size_t n = strlen(name);
    int found = 0;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, name, n) == 0 && (e->d_name[n] == ':' || e->d_name[n] == '\0')) {
            snprintf(path, size, "%s/%s", cur, e->d_name);
            found = 1;
        }
    }
    closedir(d);
    return found;
}

int p3_has(const struct p3_account *a, const char *name)
{
    char path[4096];
    return find_message(a, name, path, sizeof(path));
}

char *p3_read(const struct p3_account *a, const char *name, size_t *len)
{
    char path[4096];
    FILE *f = NULL;
    /* Twice: dovecot may move it from new/ to cur/ between the look-up and the opening. */
    for (int attempt = 0; !f && attempt < 2; attempt++) {
        if (!find_message(a, name, path, sizeof(path)))
            return NULL;
        f = fopen(path, "rb");
    }
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *data = malloc(cap);
    cr_assert_not_null(data);
    size_t got;
    while ((got = fread(data + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            data = realloc(data, cap);
            cr_assert_not_null(data);
        }
    }
    fclose(f);
    data[n] = '\0';
    if (len)
        *len = n;
    return data;
}
