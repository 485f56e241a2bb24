/* One-line logs to stderr, each carrying the process role and the current request id. */
#ifndef PLI_LOG_H
#define PLI_LOG_H

/* Names the process in every line ("fcgi-master", "fcgi-worker", "jobs", "cli"). */
void log_set_role(const char *role);
/* Sets the request id printed in every line until cleared with NULL. */
void log_set_request_id(const char *request_id);
/* Logs at info level. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Logs at warning level. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Logs at error level. */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
