#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue.h"

void queueInit(Queue_t *q)
{
	memset(q->item, 0, sizeof(q->item));
	q->head = q->tail = q->count = 0;
	pthread_mutex_init(&q->lock, NULL);
}

int queuePush(Queue_t *q, const char *msg)
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

char *queuePop(Queue_t *q)
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

void queueFree(Queue_t *q)
{
	char *msg;

	while ((msg = queuePop(q)) != NULL)
		free(msg);
	pthread_mutex_destroy(&q->lock);
}
