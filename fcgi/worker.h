/* A worker process: accepts one FastCGI request at a time until told to stop. */
#ifndef PLI_WORKER_H
#define PLI_WORKER_H

#include "fcgi/app.h"

/* Serves requests on listen_fd until SIGTERM; returns the process exit status. */
int worker_run(struct app *app, int listen_fd);

#endif
