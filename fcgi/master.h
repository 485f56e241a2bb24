/* The master process: opens the socket, keeps N workers alive, rolls and stops them. */
#ifndef PLI_MASTER_H
#define PLI_MASTER_H

#include "fcgi/app.h"

/* Runs until SIGTERM or SIGINT; returns the process exit status. */
int master_run(struct app *app);

#endif
