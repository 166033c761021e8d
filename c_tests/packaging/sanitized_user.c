/*
 * A C program built with a sanitizer, linked with libsockctl.a built with
 * the same CFLAGS (an instrumented object: tools/c-codegen.sh): it reads
 * every byte that sockctl writes for it (*servAddr, the descriptors,
 * errno, *socketFd) and branches on each, so that MemorySanitizer reports
 * any of them it takes for uninitialised, and talks to itself over
 * loopback. Exits 0 when everything is as the contract says.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "sockctl.h"

static int failures;

static void expect(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "FAIL: %s\n", what);
		failures++;
	}
}

int main(void)
{
	struct sockaddr_in a;
	unsigned char bytes[sizeof(a)];
	unsigned sum = 0;
	size_t i;
	int fd, client, peer, again;

	fd = listenSocket(0, &a);
	expect(fd >= 0, "listenSocket(0) returns a descriptor");
	memcpy(bytes, &a, sizeof(a));
	for (i = 0; i < sizeof(bytes); i++)
		if (bytes[i] != 0) /* a branch on every byte of *servAddr */
			sum += bytes[i];
	expect(sum != 0 && a.sin_family == AF_INET && a.sin_port != 0, "*servAddr holds AF_INET and the port bound");
	again = listenSocket(ntohs(a.sin_port), &a);
	expect(again == -1 && errno == EADDRINUSE, "listenSocket on a port in use: -1, EADDRINUSE");
	client = tcpCreateClient((int)htonl(INADDR_LOOPBACK), ntohs(a.sin_port));
	expect(client >= 0, "tcpCreateClient to the listener returns a descriptor");
	peer = accept(fd, NULL, NULL);
	expect(peer >= 0 && write(client, "x", 1) == 1, "the connection carries a byte");
	tcpCloseSocket(&client);
	expect(client == -1, "tcpCloseSocket sets *socketFd to -1");
	close(peer);
	tcpCloseSocket(&fd);
	printf("sanitized_user: %s\n", failures ? "FAILED" : "ok");
	return failures != 0;
}
