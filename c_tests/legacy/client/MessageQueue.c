#include "Incl.h"
#include "MessageQueue.h"

MessageQueue_t sendQueue = { { NULL }, 0, 0, 0, PTHREAD_MUTEX_INITIALIZER };
MessageQueue_t recvQueue = { { NULL }, 0, 0, 0, PTHREAD_MUTEX_INITIALIZER };

int queuePush(MessageQueue_t *q, const char *msg)
{
	char *copy;
	int ret = -1;

	pthread_mutex_lock(&q->lock);
	if (q->count == QUEUE_SIZE) {
		printf("Queue Overflow\r\n");
	} else if ((copy = strdup(msg)) != NULL) {
		q->item[q->tail] = copy;
		q->tail = (q->tail + 1) % QUEUE_SIZE;
		q->count++;
		ret = 0;
	}
	pthread_mutex_unlock(&q->lock);
	return ret;
}

char *queuePop(MessageQueue_t *q)
{
	char *msg = NULL;

	pthread_mutex_lock(&q->lock);
	if (q->count > 0) {
		msg = q->item[q->head];
		q->item[q->head] = NULL;
		q->head = (q->head + 1) % QUEUE_SIZE;
		q->count--;
	}
	pthread_mutex_unlock(&q->lock);
	return msg;
}
