/*
 * The two implementations side by side in one binary: sockctl (the legacy
 * names) and the C reference of the originals (compiled with
 * -DREF_PREFIX=c_). Used by the differential test and the benchmark.
 */
#ifndef SOCKCTL_TEST_IMPLS_H
#define SOCKCTL_TEST_IMPLS_H

#include <netinet/in.h>

#include "sockctl.h"

int c_listenSocket(int portNum, struct sockaddr_in *servAddr);
int c_tcpCreateClient(int ip, unsigned short port);
void c_tcpCloseSocket(int *socketFd);

struct impl {
	const char *name; /* "c" (the original) or "rs" (sockctl) */
	int (*listenSocket)(int portNum, struct sockaddr_in *servAddr);
	int (*tcpCreateClient)(int ip, unsigned short port);
	void (*tcpCloseSocket)(int *socketFd);
};

static const struct impl IMPL_C = { "c", c_listenSocket, c_tcpCreateClient, c_tcpCloseSocket };
static const struct impl IMPL_RS = { "rs", listenSocket, tcpCreateClient, tcpCloseSocket };

#endif
