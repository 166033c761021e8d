/*
 * The C original and sockctl side by side in one binary, as during a
 * migration: the C reference defines the legacy names, sockctl built with
 * SOCKCTL_SYMBOL_PREFIX=rs_ defines rs_listenSocket and friends, declared by
 * the prefixed header. Each side's client connects to the other's listener.
 */
#include <stdio.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "sockctl.h" /* the prefixed header: rs_listenSocket, ... */

int listenSocket(int portNum, struct sockaddr_in *servAddr);
int tcpCreateClient(int ip, unsigned short port);
void tcpCloseSocket(int *socketFd);

int main(void)
{
	struct sockaddr_in a, b;
	int lc = listenSocket(0, &a), lr = rs_listenSocket(0, &b), port_c, port_r, c1, c2, s1, s2;
	socklen_t len = sizeof(a);

	getsockname(lc, (struct sockaddr *)&a, &len); /* the original leaves port 0 in a */
	port_c = ntohs(a.sin_port);
	port_r = ntohs(b.sin_port);
	if (lc < 0 || lr < 0 || port_r == 0) {
		fprintf(stderr, "listen: c %d, rs %d (port %d)\n", lc, lr, port_r);
		return 1;
	}
	c1 = rs_tcpCreateClient((int)inet_addr("127.0.0.1"), (unsigned short)port_c);
	c2 = tcpCreateClient((int)inet_addr("127.0.0.1"), (unsigned short)port_r);
	s1 = accept(lc, NULL, NULL);
	s2 = accept(lr, NULL, NULL);
	if (c1 < 0 || c2 < 0 || s1 < 0 || s2 < 0) {
		fprintf(stderr, "connect/accept failed: %d %d %d %d\n", c1, c2, s1, s2);
		return 1;
	}
	rs_tcpCloseSocket(&c1);
	tcpCloseSocket(&c2);
	close(s1);
	close(s2);
	close(lc);
	close(lr);
	printf("test_prefix: the original and rs_-prefixed sockctl in one binary: ok\n");
	return c1 == -1 && c2 == -1 ? 0 : 1;
}
