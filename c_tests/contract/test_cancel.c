/*
 * A thread blocked in tcpCreateClient's connect is cancelled
 * (pthread_cancel), with sockctl and with the C original side by side.
 *
 * connect is a cancellation point of the C library, and both call the C
 * library's connect: a deferred cancellation request ends the thread there.
 * The check, for each implementation, in a child of its own (so an abort
 * or a hang shows as a failure of that implementation, not of the suite):
 *   - pthread_join gives PTHREAD_CANCELED;
 *   - tcpCreateClient never returned;
 *   - the cleanup handler the thread pushed before the call ran (the C
 *     library unwound the thread through the helper's frames);
 *   - everything the child prints is the same for both, the descriptors
 *     left open included: both leak the socket the cancelled call had
 *     opened (neither registers a cleanup handler).
 * The connect is held up by a full accept queue (backlog 15, 16 connections
 * established). A backstop accepts the queued connections after 5 s, so a
 * helper whose connect is not a cancellation point connects and returns
 * (and fails here) instead of hanging. Shown failing so: linked with
 * c_tests/lib/faults.c, whose connect is a raw system call on musl (no
 * cancellation point), both connect after the backstop and every check
 * fails. (So this test links testlib.c alone.)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "impls.h"
#include "testlib.h"

static const struct impl *impl;
static int port;
static volatile int returned, cleaned_up, started;

static void cleanup(void *arg)
{
	(void)arg;
	cleaned_up = 1;
}

static void *blocked_client(void *arg)
{
	int fd;

	(void)arg;
	pthread_cleanup_push(cleanup, NULL);
	started = 1;
	fd = impl->tcpCreateClient((int)inet_addr("127.0.0.1"), (unsigned short)port);
	returned = 1; /* (no cancellation point between the call and here) */
	if (fd >= 0)
		close(fd);
	pthread_cleanup_pop(0);
	return NULL;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* In the child: prints "canceled=N returned=N cleanup=N leaked=N". */
static void scenario(void *arg)
{
	int listener, fill[16], before, i, waited;
	pthread_t t;
	void *res = NULL;

	impl = arg;
	port = 0;
	listener = plain_listener(&port, 15);
	if (listener < 0) {
		printf("no listener: %s\n", strerror(errno));
		return;
	}
	fill_accept_queue(port, fill);
	before = count_fds();
	pthread_create(&t, NULL, blocked_client, NULL);
	/* Let it reach connect (it cannot be cancelled before: socket and
	 * setsockopt are no cancellation points, connect is the first). */
	while (!started)
		sleep_ms(1);
	sleep_ms(100);
	pthread_cancel(t);
	for (waited = 0; !cleaned_up && !returned && waited < 5000; waited += 10)
		sleep_ms(10);
	if (!cleaned_up && !returned) /* backstop: let the connect complete */
		for (i = 0; i < 17; i++)
			close(accept(listener, NULL, NULL));
	pthread_join(t, &res);
	printf("canceled=%d returned=%d cleanup=%d leaked=%d\n", res == PTHREAD_CANCELED, returned, cleaned_up,
	       count_fds() - before);
	for (i = 0; i < 16; i++)
		close(fill[i]);
	close(listener);
}

/* The probe, in a child: a thread blocked in read on a pipe (a
 * cancellation point of every C library) is cancelled. Where even that
 * fails (qemu-ppc 7.2 with Debian 12's 32-bit PowerPC glibc: the C
 * library aborts while unwinding the cancelled thread, with or without
 * sockctl), there is nothing to compare, and the test says so. */
static int probe_fds[2];

static void *blocked_read(void *arg)
{
	char c;

	(void)arg;
	started = 1;
	if (read(probe_fds[0], &c, 1) == 1)
		returned = 1;
	return NULL;
}

static void probe(void *arg)
{
	pthread_t t;
	void *res = NULL;

	(void)arg;
	if (pipe(probe_fds) != 0)
		return;
	pthread_create(&t, NULL, blocked_read, NULL);
	while (!started)
		sleep_ms(1);
	sleep_ms(50);
	pthread_cancel(t);
	pthread_join(t, &res);
	printf("%s\n", res == PTHREAD_CANCELED ? "cancelled" : "not cancelled");
}

int main(void)
{
	const struct impl *impls[] = { &IMPL_C, &IMPL_RS };
	const char *want = "canceled=1 returned=0 cleanup=1 ";
	char out[2][256];
	int status, k;

	run_captured(probe, NULL, out[0], sizeof(out[0]), &status);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || strcmp(out[0], "cancelled\n") != 0) {
		t_skip("test_cancel", "this C library (or its emulator) cannot cancel a thread blocked in read on a pipe, "
		       "without sockctl (status %#x%s%s): nothing to compare", status, WIFSIGNALED(status) ? ", signal " : "",
		       WIFSIGNALED(status) ? signal_name(WTERMSIG(status)) : "");
		return t_summary("test_cancel", NULL);
	}
	for (k = 0; k < 2; k++) {
		run_captured(scenario, (void *)impls[k], out[k], sizeof(out[k]), &status);
		out[k][strcspn(out[k], "\n")] = '\0';
		printf("  %s: %s\n", impls[k]->name, out[k]);
		t_check(WIFEXITED(status) && WEXITSTATUS(status) == 0, impls[k]->name,
			"the child did not exit cleanly (status %#x%s%s)", status, WIFSIGNALED(status) ? ", signal " : "",
			WIFSIGNALED(status) ? signal_name(WTERMSIG(status)) : "");
		t_check(strncmp(out[k], want, strlen(want)) == 0, impls[k]->name,
			"want the thread cancelled in connect with its cleanup handler run: %s", out[k]);
	}
	t_check(strcmp(out[0], out[1]) == 0, "same as the original", "c: %s; sockctl: %s", out[0], out[1]);
	return t_summary("test_cancel", NULL);
}
