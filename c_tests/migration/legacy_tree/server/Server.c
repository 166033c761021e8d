/*
 * Legacy-shaped gateway server for the migration test, written by this
 * project from shared/ORIGINAL.md: the original's file layout, with
 * listenSocket a static function, declared before main and defined at the
 * bottom (its body as the original's, defects kept). docs/MIGRATING.md
 * moves it onto sockctl; c_tests/migration/test_migration.sh follows it.
 *
 * Added for the test: -p PORT (0 = ephemeral), -w FILE (write the bound
 * port there), -r N (give up after N failed listenSocket tries); the server
 * exits 0 when its client leaves. Lines: "[n] recv data : ..." and
 * "[n] send data : ...", message counters incremented before printing.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

typedef int SockType_t;
typedef signed long BaseType_t;
#define INVALID_SOCKET (-1)

#define RECV_BUFF_SIZE 1024

static SockType_t listenSocket( int portNum, struct sockaddr_in *servAddr );

int main(int argc, char **argv)
{
	struct sockaddr_in servAddr, clientAddr;
	socklen_t addrLen = sizeof(clientAddr);
	SockType_t serverSocketFd = INVALID_SOCKET;
	SockType_t clientSocketFd = INVALID_SOCKET;
	char recvBuff[RECV_BUFF_SIZE + 1];
	int portNum = 8890, recvCount = 0, sendCount = 0, opt;
	long maxTries = -1, tries = 0;
	const char *portFile = NULL;
	FILE *f;

	while ((opt = getopt(argc, argv, "p:w:r:")) != -1) {
		switch (opt) {
		case 'p': portNum = atoi(optarg); break;
		case 'w': portFile = optarg; break;
		case 'r': maxTries = atol(optarg); break;
		default: return EXIT_FAILURE;
		}
	}

	printf("This is a server Proccesor\r\n");
	while ((serverSocketFd = listenSocket(portNum, &servAddr)) == INVALID_SOCKET) {
		if (maxTries >= 0 && ++tries >= maxTries)
			return EXIT_FAILURE;
		usleep(100);
	}
	addrLen = sizeof(servAddr); /* the original leaves port 0 in servAddr */
	getsockname(serverSocketFd, (struct sockaddr *)&servAddr, &addrLen);
	fflush(stdout);
	if (portFile != NULL && (f = fopen(portFile, "w")) != NULL) {
		fprintf(f, "%u\n", (unsigned)ntohs(servAddr.sin_port));
		fclose(f);
	}

	addrLen = sizeof(clientAddr);
	clientSocketFd = accept(serverSocketFd, (struct sockaddr *)&clientAddr, &addrLen);
	if (clientSocketFd < 0)
		return EXIT_FAILURE;
	printf("client connection is success!\r\n");

	for (;;) {
		ssize_t recvLen = recv(clientSocketFd, recvBuff, RECV_BUFF_SIZE, 0);

		if (recvLen < 0 && errno == EINTR)
			continue;
		if (recvLen <= 0) /* the client has left */
			break;
		recvBuff[recvLen] = '\0';
		printf("[%d] recv data : %s\r\n", ++recvCount, recvBuff);
		if (send(clientSocketFd, "Im server\n", 10, 0) < 0)
			break;
		printf("[%d] send data : %s\r\n", ++sendCount, "Im server\n");
		fflush(stdout);
	}
	close(clientSocketFd);
	close(serverSocketFd);
	return EXIT_SUCCESS;
}

static SockType_t listenSocket( int portNum, struct sockaddr_in *servAddr )
{
	SockType_t serverSocketFd = INVALID_SOCKET;
	BaseType_t socketOption;
	struct sigaction action;

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
		printf("fail to bind local address(%s)\n", strerror(errno));
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
