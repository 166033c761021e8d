/*
 * Legacy-style gateway client, written from ORIGINAL.md: a host thread that
 * owns the socket from tcpCreateClient and moves messages between it and two
 * queues, and a logger thread that queues "hello World" every interval.
 * Its stdout lines are the original's: "[n] hello World" for each message
 * sent and "[n] Im server\n" for each reply received, n a message counter,
 * one per direction, printed before it is incremented (so from 0).
 *
 * Added for tests, none of which changes stdout:
 *   -p PORT   server port (default 8890, the original's)
 *   -n COUNT  send COUNT messages, exit 0 after the reply to the last one
 *             (default 0: for ever, as the original)
 *   -i MS     interval between messages in milliseconds (default 5000)
 *   -s        number the messages ("hello World 1", ...) for soak tests
 * Fixes: the queues are locked; the host thread sleeps in poll() instead of
 * spinning; the logger queues a message only after the previous one was
 * answered (with the original's 5 s interval this changes nothing), so the
 * exchange is deterministic; the client exits when the server leaves.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "legacy_types.h"
#include "queue.h"
#include "sockctl.h"

#define RECV_BUFF_SIZE 1024
#define SERVER_REPLY_LEN 10 /* "Im server\n" */

static Queue_t sendQueue, recvQueue;
static int wakePipe[2] = { -1, -1 };

/* The printed message counters; only the host thread uses them. */
static int recvCount = 0, sendCount = 0;

static unsigned short serverPort = 8890;
static long messageCount = 0;
static long intervalMs = 5000;
static int numbered = 0;

/* Shared between the threads, under stateLock. */
static pthread_mutex_t stateLock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t stateCond;
static long repliesReceived = 0;
static int hostDone = 0;
static int hostStatus = EXIT_SUCCESS;

static void wakeHost(void)
{
	char b = 1;
	while (write(wakePipe[1], &b, 1) < 0 && errno == EINTR)
		;
}

/* Waits until wantReplies replies have arrived, then until the deadline;
 * stops early when the host thread is done. Called with stateLock held. */
static void waitUntil(const struct timespec *deadline, long wantReplies)
{
	while (!hostDone && repliesReceived < wantReplies)
		pthread_cond_wait(&stateCond, &stateLock);
	while (!hostDone && pthread_cond_timedwait(&stateCond, &stateLock, deadline) != ETIMEDOUT)
		;
}

static void *loggerRunnerable(void *arg)
{
	long sent;
	char msg[64];

	(void)arg;
	printf("Thread Start - loggerRunnerable\r\n");

	pthread_mutex_lock(&stateLock);
	for (sent = 0; messageCount == 0 || sent < messageCount; sent++) {
		struct timespec deadline;

		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += intervalMs / 1000;
		deadline.tv_nsec += (intervalMs % 1000) * 1000000L;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
		/* The previous message must be answered first: lockstep. */
		waitUntil(&deadline, sent);
		if (hostDone)
			break;
		if (numbered)
			snprintf(msg, sizeof(msg), "hello World %ld", sent + 1);
		else
			snprintf(msg, sizeof(msg), "hello World");
		queuePush(&sendQueue, msg);
		wakeHost();
	}
	pthread_mutex_unlock(&stateLock);
	return NULL;
}

static int hostRxTxQueProc(int socketFd, long *replyBytes)
{
	struct pollfd pfd[2];
	char recvBuff[RECV_BUFF_SIZE + 1];
	char *msg;

	pfd[0].fd = socketFd;
	pfd[0].events = POLLIN;
	pfd[1].fd = wakePipe[0];
	pfd[1].events = POLLIN;
	if (poll(pfd, 2, -1) < 0)
		return errno == EINTR ? 0 : -1;

	if (pfd[0].revents != 0) {
		ssize_t n = recv(socketFd, recvBuff, RECV_BUFF_SIZE, 0);

		if (n == 0) {
			fprintf(stderr, "client: the server closed the connection\n");
			return -1;
		}
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			fprintf(stderr, "client: recv: %s\n", strerror(errno));
			return -1;
		}
		if (n > 0) {
			recvBuff[n] = '\0';
			queuePush(&recvQueue, recvBuff);
		}
	}
	while ((msg = queuePop(&recvQueue)) != NULL) {
		printf("[%d] %s\r\n", recvCount++, msg);
		*replyBytes += (long)strlen(msg);
		free(msg);
	}
	pthread_mutex_lock(&stateLock);
	repliesReceived = *replyBytes / SERVER_REPLY_LEN;
	pthread_cond_broadcast(&stateCond);
	pthread_mutex_unlock(&stateLock);

	if (pfd[1].revents != 0) {
		char drain[64];
		(void)read(wakePipe[0], drain, sizeof(drain));
	}
	while ((msg = queuePop(&sendQueue)) != NULL) {
		ssize_t n = send(socketFd, msg, strlen(msg), MSG_NOSIGNAL);

		if (n < 0) {
			printf("[ERR] send function return error on hostSend function. error is %s(%d)\r\n",
			       strerror(errno), errno);
			free(msg);
			return -1;
		}
		printf("[%d] %s\r\n", sendCount++, msg);
		free(msg);
	}
	fflush(stdout);
	return 0;
}

static void *hostRxTxQueProcRunnerable(void *arg)
{
	int socketFd;
	long replyBytes = 0;

	(void)arg;
	socketFd = tcpCreateClient(inet_addr("127.0.0.1"), serverPort);
	printf("socket create %d\r\n", socketFd);
	if (socketFd < 0) {
		fflush(stdout);
		exit(EXIT_FAILURE);
	}
	printf("Thread Start - hostRxTxQueProcRunnerable\r\n");

	for (;;) {
		if (hostRxTxQueProc(socketFd, &replyBytes) < 0) {
			hostStatus = EXIT_FAILURE;
			break;
		}
		if (messageCount > 0 && replyBytes / SERVER_REPLY_LEN >= messageCount)
			break;
	}
	tcpCloseSocket(&socketFd);

	pthread_mutex_lock(&stateLock);
	hostDone = 1;
	pthread_cond_broadcast(&stateCond);
	pthread_mutex_unlock(&stateLock);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t hostThread, loggerThread;
	pthread_condattr_t attr;
	int opt;

	while ((opt = getopt(argc, argv, "p:n:i:s")) != -1) {
		switch (opt) {
		case 'p': serverPort = (unsigned short)atoi(optarg); break;
		case 'n': messageCount = atol(optarg); break;
		case 'i': intervalMs = atol(optarg); break;
		case 's': numbered = 1; break;
		default:
			fprintf(stderr, "usage: %s [-p port] [-n count] [-i interval_ms] [-s]\n", argv[0]);
			return EXIT_FAILURE;
		}
	}

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&stateCond, &attr);
	pthread_condattr_destroy(&attr);
	queueInit(&sendQueue);
	queueInit(&recvQueue);
	if (pipe(wakePipe) != 0) {
		perror("client: pipe");
		return EXIT_FAILURE;
	}

	printf("Async Non Blocking Socket Proccess\r\n");

	pthread_create(&hostThread, NULL, hostRxTxQueProcRunnerable, NULL);
	pthread_create(&loggerThread, NULL, loggerRunnerable, NULL);
	pthread_join(hostThread, NULL);
	pthread_join(loggerThread, NULL);

	close(wakePipe[0]);
	close(wakePipe[1]);
	queueFree(&sendQueue);
	queueFree(&recvQueue);
	fflush(stdout);
	return hostStatus;
}
