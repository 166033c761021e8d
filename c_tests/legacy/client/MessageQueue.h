/* The client's message queues: 25-slot rings of malloc'ed string copies,
 * behind a mutex (the original shared them without a lock, a data race). */
#ifndef MESSAGE_QUEUE_H
#define MESSAGE_QUEUE_H

#include <pthread.h>

#define QUEUE_SIZE 25

typedef struct {
	char *item[QUEUE_SIZE];
	int head, tail, count;
	pthread_mutex_t lock;
} MessageQueue_t;

extern MessageQueue_t sendQueue, recvQueue;

/* Copies msg in; prints "Queue Overflow\r\n" and returns -1 when full. */
int queuePush(MessageQueue_t *q, const char *msg);
/* The oldest message (the caller frees it), or NULL when empty. */
char *queuePop(MessageQueue_t *q);

#endif
