/*
 * A program in the middle of a migration: it takes listenSocket from sockctl
 * but keeps its own C tcpCloseSocket. Linked against a sockctl built with
 * only the "server" feature, there is no duplicate symbol.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <netinet/in.h>

#include "sockctl.h"

static int own_calls;

/* The program's own helper, as the legacy code had it. */
void tcpCloseSocket(int *socketFd)
{
	own_calls++;
	close(*socketFd);
	*socketFd = -1;
}

int main(void)
{
	struct sockaddr_in a;
	int fd = listenSocket(0, &a), copy = fd;

	if (fd < 0) {
		perror("listenSocket");
		return 1;
	}
	tcpCloseSocket(&fd);
	if (own_calls != 1 || fd != -1 || fcntl(copy, F_GETFD) != -1 || errno != EBADF) {
		fprintf(stderr, "own tcpCloseSocket not used (%d calls)\n", own_calls);
		return 1;
	}
	printf("own_close: listenSocket from sockctl, tcpCloseSocket of its own: ok\n");
	return 0;
}
