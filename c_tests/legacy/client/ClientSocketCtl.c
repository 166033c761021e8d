/* The client's socket helpers, as the original had them, defects kept
 * (fds leaked on three failure paths, the fd value cast to a pointer when
 * fcntl fails, inet_ntoa). */
#include <fcntl.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "Incl.h"
#include "ClientSocketCtl.h"

int tcpCreateClient(int ip, unsigned short port)
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

	memset(&nSin, 0, sizeof(nSin));
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
		tcpCloseSocket((int *)(intptr_t)socketFd);
		return (-1);
	}

	return socketFd;
}

void tcpCloseSocket(int *socketFd)
{
	close(*socketFd);
	*socketFd = -1;
}
