/* The legacy client's message queue: a 25-slot ring of malloc'ed string
 * copies, now behind a mutex (the original shared it between threads
 * without a lock). */
#ifndef LEGACY_QUEUE_H
#define LEGACY_QUEUE_H

#include <pthread.h>

#define QUEUE_SIZE 25

typedef struct {
	char *item[QUEUE_SIZE];
	int head, tail, count;
	pthread_mutex_t lock;
} Queue_t;

void queueInit(Queue_t *q);
/* Copies msg in; prints "Queue Overflow\r\n" and returns -1 when full. */
int queuePush(Queue_t *q, const char *msg);
/* The oldest message (the caller frees it), or NULL when empty. */
char *queuePop(Queue_t *q);
void queueFree(Queue_t *q);

#endif
