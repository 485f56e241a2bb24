/* The test stack's webhook receiver (scripts/pli-webhook-receiver), an integrator's endpoint that
 * verifies every webhook on its own (Standard Webhooks v1) and records it with the outcome: fresh
 * paths, their secret and answers, and what they received. Every name starts with wr_. */
#ifndef PLI_TEST_WEBHOOK_RECEIVER_H
#define PLI_TEST_WEBHOOK_RECEIVER_H

#include <jansson.h>
#include <stddef.h>

/* How long webhooks are awaited (milliseconds). */
#define WR_WAIT_MS 30000
#define WR_NAME_MAX 64
#define WR_URL_MAX 256

/* A fresh path of the receiver: its name and the endpoint URL that reaches it
 * ($PLI_TEST_WEBHOOK_RECEIVER_URL/hooks/<name>). */
void wr_new_path(char name[WR_NAME_MAX], char url[WR_URL_MAX]);
/* Registers the secret of a path and how it answers: answers is a JSON array of steps
 * {status, times?, location?} (stolen), or NULL for 200 always. Asserts 200. */
void wr_register(const char *name, const char *secret, json_t *answers);
/* What the path received so far, oldest first: a JSON array of {webhook_id, webhook_timestamp,
 * webhook_signature, content_type, user_agent, body, json, verified, problem, duplicate,
 * answered, received_at} (caller decrefs). */
json_t *wr_requests(const char *name);
/* Polls until the path received at least n requests, for up to WR_WAIT_MS; returns them
 * (caller decrefs) or fails the test with what came. */
json_t *wr_wait_requests(const char *name, size_t n);
/* Asserts that every request of the list verified, with JSON bodies of Standard Webhooks' shape
 * ({type, timestamp, data}) sent as application/json by pli's User-Agent. */
void wr_expect_all_verified(const json_t *requests);

#endif
