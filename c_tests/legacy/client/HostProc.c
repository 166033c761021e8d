/* The host thread: owns the socket from tcpCreateClient and moves messages
 * between it and the two queues. Lines: "[n] <text>\r\n" for each message
 * sent and each reply received, one counter per direction, printed before
 * it is incremented (so from 0). Ends when the server leaves, or after the
 * reply to message messageCount. */
#include <arpa/inet.h>

#include "Incl.h"
#include "ClientSocketCtl.h"
#include "MessageQueue.h"
#include "RecvSend.h"

void *hostRxTxQueProcRunnerable(void *arg)
{
	char recvBuff[RECV_BUFF_SIZE + 1];
	int recvCount = 0, sendCount = 0;
	int socketFd;
	ssize_t n;
	char *msg;

	(void)arg;
	socketFd = tcpCreateClient(inet_addr("127.0.0.1"), serverPort);
	printf("socket create %d\r\n", socketFd);
	if (socketFd < 0) {
		fflush(stdout);
		exit(EXIT_FAILURE);
	}
	printf("Thread Start - hostRxTxQueProcRunnerable\r\n");

	while (messageCount == 0 || recvCount < messageCount) {
		n = hostRecv(socketFd, recvBuff, RECV_BUFF_SIZE);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
			break; /* the server has left */
		if (n > 0) {
			recvBuff[n] = '\0';
			queuePush(&recvQueue, recvBuff);
		}
		while ((msg = queuePop(&recvQueue)) != NULL) {
			printf("[%d] %s\r\n", recvCount++, msg);
			free(msg);
			loggerReplyReceived();
		}
		while ((msg = queuePop(&sendQueue)) != NULL) {
			n = hostSend(socketFd, msg);
			if (n >= 0)
				printf("[%d] %s\r\n", sendCount++, msg);
			free(msg);
		}
		fflush(stdout);
	}
	tcpCloseSocket(&socketFd);
	loggerStop();
	return NULL;
}
