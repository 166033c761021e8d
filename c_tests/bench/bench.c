/*
 * Benchmark: sockctl against the C reference of the originals, linked into
 * one binary (see impls.h), on loopback.
 *
 *   bench time ROUNDS BATCH     per-call wall time, the two implementations
 *                               interleaved round by round; prints medians
 *   bench syscalls              one call of each helper per implementation,
 *                               between strace markers (run under strace)
 *   bench instr FN IMPL N       N calls of FN (listen|listen-fixed|client|close) with IMPL
 *                               (c|rs), for callgrind --toggle-collect
 *
 * Every helper's stdout message goes to whatever stdout is: run with
 * stdout on /dev/null for timing.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "impls.h"
#include "testlib.h"

#define MAX_BATCH 512

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The time of one batch of `n` calls of one helper, per call, in ns. */
static double batch_listen(const struct impl *im, int n)
{
	static int fds[MAX_BATCH];
	struct sockaddr_in a;
	double t0, t1;
	int i;

	t0 = now_ns();
	for (i = 0; i < n; i++)
		fds[i] = im->listenSocket(0, &a);
	t1 = now_ns();
	for (i = 0; i < n; i++)
		close(fds[i]);
	return (t1 - t0) / n;
}

/* listenSocket on one fixed port (no getsockname): each call is closed
 * before the next can bind it, outside the timed part. */
static double batch_listen_fixed(const struct impl *im, int n, int port)
{
	struct sockaddr_in a;
	double total = 0, t0;
	int i, fd;

	for (i = 0; i < n; i++) {
		t0 = now_ns();
		fd = im->listenSocket(port, &a);
		total += now_ns() - t0;
		close(fd);
	}
	return total / n;
}

/* A port that is free now. */
static int free_port(void)
{
	int port = 0, fd = plain_listener(&port, 1);

	close(fd);
	return port;
}

static double batch_client(const struct impl *im, int n, int listener, int port)
{
	static int fds[MAX_BATCH];
	double t0, t1;
	int i, ip = (int)inet_addr("127.0.0.1");

	t0 = now_ns();
	for (i = 0; i < n; i++)
		fds[i] = im->tcpCreateClient(ip, (unsigned short)port);
	t1 = now_ns();
	for (i = 0; i < n; i++) {
		int s = accept(listener, NULL, NULL);
		/* The server side closes first: TIME_WAIT stays off the client ports. */
		close(s);
		close(fds[i]);
	}
	return (t1 - t0) / n;
}

static double batch_close(const struct impl *im, int n)
{
	static int fds[MAX_BATCH];
	double t0, t1;
	int i;

	for (i = 0; i < n; i++)
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
	t0 = now_ns();
	for (i = 0; i < n; i++)
		im->tcpCloseSocket(&fds[i]);
	t1 = now_ns();
	return (t1 - t0) / n;
}

static void bench_time(int rounds, int batch)
{
	static const char *names[4] = { "listenSocket(0)", "tcpCreateClient", "tcpCloseSocket", "listenSocket(port)" };
	double *t[4][2];
	int f, r, port = 0, listener = plain_listener(&port, 4096), fixed = free_port();

	if (batch > MAX_BATCH)
		batch = MAX_BATCH;
	for (f = 0; f < 4; f++) {
		t[f][0] = calloc((size_t)rounds, sizeof(double));
		t[f][1] = calloc((size_t)rounds, sizeof(double));
	}
	for (r = 0; r < rounds; r++) {
		/* Alternate which goes first, so neither always runs warm. */
		int first = r % 2, k;
		for (k = 0; k < 2; k++) {
			int which = k ^ first;
			const struct impl *im = which ? &IMPL_RS : &IMPL_C;
			t[0][which][r] = batch_listen(im, batch);
			t[1][which][r] = batch_client(im, batch, listener, port);
			t[2][which][r] = batch_close(im, batch);
			t[3][which][r] = batch_listen_fixed(im, batch, fixed);
		}
	}
	fprintf(stderr, "%-18s %12s %12s %8s\n", "function", "C ns/call", "sockctl", "ratio");
	for (f = 0; f < 4; f++) {
		double mc, mr;
		qsort(t[f][0], (size_t)rounds, sizeof(double), cmp_double);
		qsort(t[f][1], (size_t)rounds, sizeof(double), cmp_double);
		mc = t[f][0][rounds / 2];
		mr = t[f][1][rounds / 2];
		fprintf(stderr, "%-18s %12.0f %12.0f %8.3f\n", names[f], mc, mr, mr / mc);
	}
}

static void mark(const char *what)
{
	(void)!syscall(SYS_write, -1, what, strlen(what));
}

static void bench_syscalls(void)
{
	const struct impl *ims[2] = { &IMPL_C, &IMPL_RS };
	struct sockaddr_in a;
	int i, port = 0, listener = plain_listener(&port, 4096);

	printf("stdio is set up before the markers\n");
	fflush(stdout);
	for (i = 0; i < 2; i++) {
		char m[64];
		int fd, s;

		snprintf(m, sizeof(m), "BEGIN listenSocket(0) %s", ims[i]->name);
		mark(m);
		fd = ims[i]->listenSocket(0, &a);
		mark("END");
		close(fd);
		/* A fixed port: no getsockname. Take the one just released. */
		snprintf(m, sizeof(m), "BEGIN listenSocket(port) %s", ims[i]->name);
		mark(m);
		fd = ims[i]->listenSocket(ntohs(a.sin_port), &a);
		mark("END");
		close(fd);
		snprintf(m, sizeof(m), "BEGIN tcpCreateClient %s", ims[i]->name);
		mark(m);
		fd = ims[i]->tcpCreateClient((int)inet_addr("127.0.0.1"), (unsigned short)port);
		mark("END");
		s = accept(listener, NULL, NULL);
		close(s);
		snprintf(m, sizeof(m), "BEGIN tcpCloseSocket %s", ims[i]->name);
		mark(m);
		ims[i]->tcpCloseSocket(&fd);
		mark("END");
	}
	fflush(stdout);
}

static void bench_instr(const char *fn, const char *impl, int n)
{
	const struct impl *im = strcmp(impl, "c") == 0 ? &IMPL_C : &IMPL_RS;
	int port = 0, listener = plain_listener(&port, 4096), done = 0, fixed = free_port();

	while (done < n) {
		int batch = n - done > MAX_BATCH ? MAX_BATCH : n - done;
		if (strcmp(fn, "listen") == 0)
			batch_listen(im, batch);
		else if (strcmp(fn, "listen-fixed") == 0)
			batch_listen_fixed(im, batch, fixed);
		else if (strcmp(fn, "client") == 0)
			batch_client(im, batch, listener, port);
		else
			batch_close(im, batch);
		done += batch;
	}
}

int main(int argc, char **argv)
{
	struct rlimit rl;

	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < 4 * MAX_BATCH && rl.rlim_max >= 4 * MAX_BATCH) {
		rl.rlim_cur = 4 * MAX_BATCH;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (argc == 4 && strcmp(argv[1], "time") == 0)
		bench_time(atoi(argv[2]), atoi(argv[3]));
	else if (argc == 2 && strcmp(argv[1], "syscalls") == 0)
		bench_syscalls();
	else if (argc == 5 && strcmp(argv[1], "instr") == 0)
		bench_instr(argv[2], argv[3], atoi(argv[4]));
	else {
		fprintf(stderr, "usage: %s time ROUNDS BATCH | syscalls | instr listen|listen-fixed|client|close c|rs N\n", argv[0]);
		return 2;
	}
	return 0;
}
