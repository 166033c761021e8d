/* The host thread's socket reads and writes. */
#ifndef RECV_SEND_H
#define RECV_SEND_H

#include <sys/types.h>

#define RECV_BUFF_SIZE 1024

/* Waits up to 1 ms for data, then reads up to len bytes without blocking:
 * > 0 bytes read, 0 the server left, -1 nothing yet (EAGAIN) or an error. */
ssize_t hostRecv(int socketFd, char *buff, size_t len);
/* Sends msg whole; prints the original's [ERR] line on failure. */
ssize_t hostSend(int socketFd, const char *msg);

#endif
