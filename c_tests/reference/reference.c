/*
 * The legacy helpers as the gateway had them, defects included, written by
 * this project from the step-by-step description in shared/ORIGINAL.md.
 * It is the "before" of every comparison: differential and trace tests,
 * benchmarks, and builds of the legacy-style programs.
 *
 * Symbol names: with -DREF_PREFIX=c_ the functions are c_listenSocket, ...
 * so that this file and libsockctl link into one binary. Without it they
 * have the legacy names, for linking the legacy programs against C alone.
 *
 * Kept defects (do not fix them here): fds leaked on three tcpCreateClient
 * failure paths, the fd value cast to a pointer on the fcntl failure path
 * (a crash), inet_ntoa, errno clobbered by printf and close, NULL crashes,
 * SO_REUSEADDR passed as an 8-byte long.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#ifdef REF_PREFIX
#define REF_CAT2(a, b) a##b
#define REF_CAT(a, b) REF_CAT2(a, b)
#define REF_NAME(name) REF_CAT(REF_PREFIX, name)
#else
#define REF_NAME(name) name
#endif

#define SockType_t int
#define BaseType_t signed long
#define INVALID_SOCKET (-1)

int REF_NAME(listenSocket)(int portNum, struct sockaddr_in *servAddr);
int REF_NAME(tcpCreateClient)(int ip, unsigned short port);
void REF_NAME(tcpCloseSocket)(int *socketFd);

int REF_NAME(listenSocket)(int portNum, struct sockaddr_in *servAddr)
{
	SockType_t serverSocketFd = INVALID_SOCKET;
	BaseType_t socketOption;
	struct sigaction action;
	int errsv = 0;

	action.sa_handler = SIG_IGN;
	sigemptyset(&action.sa_mask);
	action.sa_flags = 0;
	if (sigaction(SIGPIPE, &action, NULL) < 0)
		return INVALID_SOCKET;

	if ((serverSocketFd = socket(AF_INET, SOCK_STREAM, 0)) < 0) {
		printf("fail : can't open stream socket\n");
		return INVALID_SOCKET;
	}

	socketOption = 1;
	if (setsockopt(serverSocketFd, SOL_SOCKET, SO_REUSEADDR, (char *)&socketOption,
		       (int)sizeof(socketOption)) < 0) {
		printf("fail socket option apply. option name is SO_REUSEADDR.");
		close(serverSocketFd);
		return INVALID_SOCKET;
	}

	memset(servAddr, 0, sizeof(struct sockaddr_in));
	servAddr->sin_family = AF_INET;
	servAddr->sin_addr.s_addr = htonl(INADDR_ANY);
	servAddr->sin_port = htons(portNum);

	if (bind(serverSocketFd, (struct sockaddr *)servAddr, sizeof(struct sockaddr_in)) == -1) {
		errsv = errno;
		printf("fail to bind local address(%s)\n", strerror(errsv));
		close(serverSocketFd);
		return INVALID_SOCKET;
	}

	if (listen(serverSocketFd, 15) < 0) {
		printf("fail to liten for connection\r\n");
		close(serverSocketFd);
		return INVALID_SOCKET;
	}

	return serverSocketFd;
}

void REF_NAME(tcpCloseSocket)(int *socketFd)
{
	close(*socketFd);
	*socketFd = -1;
}

int REF_NAME(tcpCreateClient)(int ip, unsigned short port)
{
	int res = 0;
	int socketFd = -1;
	int buffSize;
	int lValue = 1;
	int temp = sizeof(int);
	struct sockaddr_in nSin;

	socketFd = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	if (socketFd == INVALID_SOCKET) {
		printf("Socket Command error[%s-%d]\n", strerror(errno), errno);
		return (-1);
	}

	if (getsockopt(socketFd, SOL_SOCKET, SO_RCVBUF, &buffSize, (socklen_t *)&temp) < 0)
		return -1;

	res = setsockopt(socketFd, IPPROTO_TCP, TCP_NODELAY, (char *)&lValue, sizeof(int));
	if (res == -1)
		return -1;

	nSin.sin_family = AF_INET;
	memcpy(&nSin.sin_addr, &ip, sizeof(ip));
	nSin.sin_port = htons(port);

	res = connect(socketFd, (const struct sockaddr *)&nSin, sizeof(nSin));
	if (res < 0) {
		printf("connection fail\r\n");
		return (-1);
	}

	printf("Client Socket connect OK Server Socket[%d] IP[%s, %i] \n", socketFd,
	       inet_ntoa(nSin.sin_addr), nSin.sin_port);

	res = fcntl(socketFd, F_SETFL, O_NONBLOCK);
	if (res < 0) {
		printf("(HOST) : Error fcntl() %d - %s\n", errno, strerror(errno));
		REF_NAME(tcpCloseSocket)((int *)(intptr_t)socketFd);
		return (-1);
	}

	return socketFd;
}
