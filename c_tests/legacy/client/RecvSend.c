#include <poll.h>
#include <sys/socket.h>

#include "Incl.h"
#include "RecvSend.h"

ssize_t hostRecv(int socketFd, char *buff, size_t len)
{
	struct pollfd pfd;

	pfd.fd = socketFd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 1) <= 0) { /* the original slept 1 us and spun */
		errno = EAGAIN;
		return -1;
	}
	return recv(socketFd, buff, len, 0);
}

ssize_t hostSend(int socketFd, const char *msg)
{
	ssize_t n = send(socketFd, msg, strlen(msg), MSG_NOSIGNAL);

	if (n < 0)
		printf("[ERR] send function return error on hostSend function. error is %s(%d)\r\n",
		       strerror(errno), errno);
	return n;
}
