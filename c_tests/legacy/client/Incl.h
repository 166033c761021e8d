/* The legacy gateway's client, laid out as the real one (written by this
 * project from shared/ORIGINAL.md): what every client file includes. */
#ifndef INCL_H
#define INCL_H

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef int SockType_t;
typedef signed long BaseType_t;

/* Set by main before the threads start (options -p, -n, -i, -s). */
extern unsigned short serverPort;   /* default 8890, the original's */
extern long messageCount;           /* 0: for ever, as the original */
extern long intervalMs;             /* default 5000 */
extern int numbered;                /* "hello World N" instead of "hello World" */

void *hostRxTxQueProcRunnerable(void *arg);
void *loggerRunnerable(void *arg);
/* The host thread tells the logger: one more reply, or no more socket. */
void loggerReplyReceived(void);
void loggerStop(void);

#endif
