/* The bare floor of the letters history: a minimal libfcgi program that runs the same SQL as
 * GET .../letters (without authentication, validation or arena) and prints the rows it gets.
 * scripts/bench puts it behind the same nginx to measure what the stack itself costs. */
#include <fcgiapp.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql_statements.h"

int main(void)
{
    const char *url = getenv("PLI_DATABASE_URL");
    const char *socket_path = getenv("PLI_BENCH_FLOOR_SOCKET");
    const char *team = getenv("PLI_BENCH_TEAM");
    const char *user = getenv("PLI_BENCH_USER");
    if (!url || !socket_path || !team || !user) {
        fprintf(stderr, "pli-bench-floor: PLI_DATABASE_URL, PLI_BENCH_FLOOR_SOCKET, "
                        "PLI_BENCH_TEAM and PLI_BENCH_USER are required\n");
        return 2;
    }
    PGconn *conn = PQconnectdb(url);
    PGresult *prep = PQprepare(conn, "letter_list", sql_statement_texts[SQL_LETTER_LIST], 0, NULL);
    if (PQstatus(conn) != CONNECTION_OK || PQresultStatus(prep) != PGRES_COMMAND_OK) {
        fprintf(stderr, "pli-bench-floor: %s", PQerrorMessage(conn));
        return 1;
    }
    PQclear(prep);
    FCGX_Init();
    int fd = FCGX_OpenSocket(socket_path, 1024);
    FCGX_Request req;
    FCGX_InitRequest(&req, fd, 0);
    const char *params[] = {team, user, "t", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                            "50", "t"};
    while (FCGX_Accept_r(&req) >= 0) {
        PGresult *r = PQexecPrepared(conn, "letter_list", 13, params, NULL, NULL, 0);
        const char *body = PQresultStatus(r) == PGRES_TUPLES_OK ? PQgetvalue(r, 0, 0) : "[]";
        FCGX_FPrintF(req.out, "Status: 200 OK\r\nContent-Type: application/json\r\n\r\n");
        FCGX_PutS(body, req.out);
        PQclear(r);
        FCGX_Finish_r(&req);
    }
    PQfinish(conn);
    return 0;
}
