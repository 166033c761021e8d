/*
 * The legacy gateway's server, written by this project from
 * shared/ORIGINAL.md: the original's file layout, call sites and stdout
 * lines, with listenSocket a static function, declared before main and
 * defined at the bottom (its body as the original's, defects kept).
 * docs/MIGRATING.md moves it onto sockctl (c_tests/migration/migrate.sh
 * follows it for make demo and the tests). As in the original,
 * "[n] recv data : ..." and "[n] send data : ..." carry message counters,
 * one for receiving and one for sending, each incremented before its line
 * is printed: the first exchange prints [1] and [1].
 *
 * Added for tests, none of which changes stdout:
 *   -p PORT   port to listen on (default 8890, the original's; 0 = ephemeral)
 *   -w FILE   once listening, write the bound port to FILE
 *   -r N      give up after N failed listenSocket tries (default: never)
 * and on stderr the bound port and the open descriptors at start and exit
 * (for leak tests). It exits 0 when its client leaves (the original spun
 * for ever), blocks in recv instead of polling, and NUL-terminates each
 * chunk it prints.
 */
#include <dirent.h>
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

static const char SERVER_REPLY[] = "Im server\n";

static SockType_t listenSocket( int portNum, struct sockaddr_in *servAddr );

/* Open descriptors, reported on stderr at start and exit for leak tests. */
static int openDescriptors(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;
}

static int writePortFile(const char *path, unsigned short port)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -1;
	f = fopen(tmp, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "%u\n", (unsigned)port);
	if (fclose(f) != 0)
		return -1;
	return rename(tmp, path);
}

int main(int argc, char **argv)
{
	struct sockaddr_in servAddr, clientAddr;
	socklen_t clientLen = sizeof(clientAddr);
	SockType_t serverSocketFd = INVALID_SOCKET;
	SockType_t clientSocketFd = INVALID_SOCKET;
	char recvBuff[RECV_BUFF_SIZE + 1];
	int portNum = 8890, recvCount = 0, sendCount = 0, opt;
	long maxTries = -1, tries = 0;
	const char *portFile = NULL;

	while ((opt = getopt(argc, argv, "p:w:r:")) != -1) {
		switch (opt) {
		case 'p': portNum = atoi(optarg); break;
		case 'w': portFile = optarg; break;
		case 'r': maxTries = atol(optarg); break;
		default:
			fprintf(stderr, "usage: %s [-p port] [-w portfile] [-r tries]\n", argv[0]);
			return EXIT_FAILURE;
		}
	}
	fprintf(stderr, "server: %d descriptors open at start\n", openDescriptors());

	printf("This is a server Proccesor\r\n");
	while ((serverSocketFd = listenSocket(portNum, &servAddr)) == INVALID_SOCKET) {
		if (maxTries >= 0 && ++tries >= maxTries) {
			fprintf(stderr, "server: listenSocket failed %ld times: %s\n", tries, strerror(errno));
			return EXIT_FAILURE;
		}
		usleep(100);
	}
	if (servAddr.sin_port == 0) {
		/* The original helper leaves port 0 in servAddr after binding an
		 * ephemeral port (sockctl fills it in): ask the socket. */
		socklen_t len = sizeof(servAddr);
		getsockname(serverSocketFd, (struct sockaddr *)&servAddr, &len);
	}
	fprintf(stderr, "server: listening on port %u\n", (unsigned)ntohs(servAddr.sin_port));
	if (portFile != NULL && writePortFile(portFile, ntohs(servAddr.sin_port)) != 0) {
		fprintf(stderr, "server: cannot write %s: %s\n", portFile, strerror(errno));
		return EXIT_FAILURE;
	}
	fflush(stdout);

	do {
		clientSocketFd = accept(serverSocketFd, (struct sockaddr *)&clientAddr, &clientLen);
	} while (clientSocketFd < 0 && errno == EINTR);
	if (clientSocketFd < 0) {
		fprintf(stderr, "server: accept: %s\n", strerror(errno));
		return EXIT_FAILURE;
	}
	printf("client connection is success!\r\n");

	for (;;) {
		ssize_t recvLen = recv(clientSocketFd, recvBuff, RECV_BUFF_SIZE, 0);

		if (recvLen < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "server: recv: %s\n", strerror(errno));
			break;
		}
		if (recvLen == 0) /* the client has left */
			break;
		recvBuff[recvLen] = '\0';
		printf("[%d] recv data : %s\r\n", ++recvCount, recvBuff);
		if (send(clientSocketFd, SERVER_REPLY, strlen(SERVER_REPLY), 0) < 0) {
			fprintf(stderr, "server: send: %s\n", strerror(errno));
			break;
		}
		printf("[%d] send data : %s\r\n", ++sendCount, SERVER_REPLY);
		fflush(stdout);
	}

	/* The original used close() here; keep the server on listenSocket alone. */
	close(clientSocketFd);
	close(serverSocketFd);
	fflush(stdout);
	fprintf(stderr, "server: %d descriptors open at exit\n", openDescriptors());
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
