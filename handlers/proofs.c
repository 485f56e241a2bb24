/* A delivery proof as its sender downloads it: a PDF for people (made by pli-jobs), or the
 * signed JSON (the exact signed bytes, the signature and the key id) for verification with any
 * Ed25519 library. */
#include <stdlib.h>
#include <string.h>

#include "fcgi/authz.h"
#include "handlers/handlers.h"

/* Columns of SQL_PROOF_GET. */
enum { P_ID, P_DELIVERY, P_SEQ, P_TYPE, P_EVENT, P_OCCURRED, P_ISSUED, P_KEY, P_SHA256,
       P_PREVIOUS, P_PAYLOAD, P_SIGNATURE };

/* JSON when asked for by ?format=json or an Accept header preferring it; PDF otherwise. */
static bool wants_json(const struct ctx *ctx)
{
    const char *format = request_query(&ctx->req, "format");
    if (format)
        return strcmp(format, "json") == 0;
    const char *accept = request_param(&ctx->req, "HTTP_ACCEPT");
    return accept && strstr(accept, "application/json") && !strstr(accept, "application/pdf");
}

static void answer_json(struct ctx *ctx, const PGresult *r)
{
    response_json(
        &ctx->resp, 200,
        json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:s}", "id",
                  PQgetvalue(r, 0, P_ID), "delivery_id", PQgetvalue(r, 0, P_DELIVERY), "seq",
                  (int)strtol(PQgetvalue(r, 0, P_SEQ), NULL, 10), "type",
                  PQgetvalue(r, 0, P_TYPE), "event", PQgetvalue(r, 0, P_EVENT), "occurred_at",
                  PQgetvalue(r, 0, P_OCCURRED), "issued_at", PQgetvalue(r, 0, P_ISSUED),
                  "key_id", PQgetvalue(r, 0, P_KEY), "sha256", PQgetvalue(r, 0, P_SHA256),
                  "previous_sha256",
                  PQgetisnull(r, 0, P_PREVIOUS) ? NULL : PQgetvalue(r, 0, P_PREVIOUS),
                  "signed_payload", PQgetvalue(r, 0, P_PAYLOAD), "signature",
                  PQgetvalue(r, 0, P_SIGNATURE)));
}

/* The PDF pli-jobs made of the proof (409 proof_pdf_pending until it has). */
static void answer_pdf(struct ctx *ctx, const PGresult *proof)
{
    const char *params[] = {PQgetvalue(proof, 0, P_ID)};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_PROOF_PDF_GET, 1, params, &r))
        return;
    if (PQntuples(r) == 0) {
        response_header(&ctx->resp, "Retry-After", "1");
        problem_set(&ctx->resp, PROBLEM_PROOF_PDF_PENDING, NULL);
        return;
    }
    ctx_answer_file_base64(ctx, PQgetvalue(r, 0, 0), "application/pdf",
                           arena_printf(ctx->req.arena, "preuve-%s-%s.pdf",
                                        PQgetvalue(proof, 0, P_TYPE), PQgetvalue(proof, 0, P_ID)));
}

void proofs_get(struct ctx *ctx)
{
    /* A proof of a letter the caller may not see is as absent as one that does not exist. */
    const char *params[] = {ctx->req.who.team_id, ctx->req.path_params[1],
                            ctx->req.path_params[2], ctx->req.who.user_id,
                            letters_sees_all(ctx) ? "t" : "f",
                            authz_has(ctx, PERM_LETTERS_VALIDATE) ? "t" : "f"};
    PGresult *r;
    if (!ctx_exec(ctx, SQL_PROOF_GET, 6, params, &r))
        return;
    if (PQntuples(r) == 0)
        problem_set(&ctx->resp, PROBLEM_NOT_FOUND, "No such proof");
    else if (wants_json(ctx))
        answer_json(ctx, r);
    else
        answer_pdf(ctx, r);
}
