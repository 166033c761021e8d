/*
 * A small C program that makes its own calls of printf, puts, socket and
 * close, and links the three helpers (from libsockctl.a, or the C original
 * for the comparison) without calling them unless given an argument.
 * c_tests/packaging/check_codegen.sh compares how the linker binds its own
 * calls (the dynamic relocation types) in the two programs, and make bench
 * counts the instructions of its start-up.
 */
#include <stdio.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "sockctl.h"

int main(int argc, char **argv)
{
	int fd;

	(void)argv;

	if (argc > 1) { /* the helpers, linked in; never called by the checks */
		struct sockaddr_in a;

		fd = listenSocket(0, &a);
		tcpCloseSocket(&fd);
		return tcpCreateClient((int)htonl(INADDR_LOOPBACK), 1) < 0;
	}
	fd = socket(AF_INET, SOCK_STREAM, 0);
	printf("own socket: %s\n", fd >= 0 ? "open" : "failed");
	puts("own puts");
	return close(fd) != 0;
}
