/* The logger thread: queues "hello World" for the host thread to send,
 * every intervalMs, messageCount times (0: for ever); with -s numbered,
 * "hello World 1", ... Each message waits for the reply to the previous
 * one, so the exchange is deterministic. */
#include <time.h>

#include "Incl.h"
#include "MessageQueue.h"

static pthread_mutex_t loggerLock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t loggerCond = PTHREAD_COND_INITIALIZER;
static long repliesReceived = 0; /* under loggerLock */
static int hostStopped = 0;      /* under loggerLock */

void loggerReplyReceived(void)
{
	pthread_mutex_lock(&loggerLock);
	repliesReceived++;
	pthread_cond_broadcast(&loggerCond);
	pthread_mutex_unlock(&loggerLock);
}

void loggerStop(void)
{
	pthread_mutex_lock(&loggerLock);
	hostStopped = 1;
	pthread_cond_broadcast(&loggerCond);
	pthread_mutex_unlock(&loggerLock);
}

void *loggerRunnerable(void *arg)
{
	long sent;
	char msg[64];

	(void)arg;
	printf("Thread Start - loggerRunnerable\r\n");
	pthread_mutex_lock(&loggerLock);
	for (sent = 0; messageCount == 0 || sent < messageCount; sent++) {
		struct timespec deadline;

		while (!hostStopped && repliesReceived < sent)
			pthread_cond_wait(&loggerCond, &loggerLock);
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_sec += intervalMs / 1000;
		deadline.tv_nsec += (intervalMs % 1000) * 1000000L;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
		while (!hostStopped && pthread_cond_timedwait(&loggerCond, &loggerLock, &deadline) != ETIMEDOUT)
			;
		if (hostStopped)
			break;
		if (numbered)
			snprintf(msg, sizeof(msg), "hello World %ld", sent + 1);
		else
			snprintf(msg, sizeof(msg), "hello World");
		queuePush(&sendQueue, msg);
	}
	pthread_mutex_unlock(&loggerLock);
	return NULL;
}
