/*
 * Hardening: bad input, faults, signal storms, descriptor accounting and
 * concurrency. Every case runs in a forked child (a crash is a failure, not
 * the end of the run), bounded in time, on loopback or inside a private
 * network namespace the child creates, so no packet can leave the host.
 *
 *   test_hardening [--quick]   --quick: 10,000 failing calls instead of
 *                              100,000 and 4 threads instead of 16 (for the
 *                              sanitizer and valgrind runs)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <poll.h>
#include <time.h>
#include <net/if.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "legacy/legacy_types.h"
#include "sockctl.h"
#include "faults.h"
#include "testlib.h"

static int quick;

struct result {
	int rc, err, fds_before, fds_after, extra;
	char note[256];
};
static struct result *res; /* shared with the children */
static char out[4 << 20]; /* 16,000 success lines of the concurrency test */

/* Runs fn in a child, stdout captured; checks that it exited cleanly. */
static void run(const char *name, void (*fn)(void *), void *arg)
{
	int status;

	memset(res, 0, sizeof(*res));
	run_captured(fn, arg, out, sizeof(out), &status);
	t_check(WIFEXITED(status) && WEXITSTATUS(status) == 0, name, "child died (status %#x)", status);
}

/* A private network namespace with only the loopback interface, up, and no
 * routes: 127.0.0.0/8 works, everything else is unreachable at once. */
static int in_user_ns; /* the namespace needed a user namespace too */

static int private_net(char *why, size_t n)
{
	struct ifreq ifr;
	int fd;

	in_user_ns = 0;
	if (unshare(CLONE_NEWNET) != 0) {
		/* Not privileged: a user namespace of our own may allow it. */
		if (unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) {
			snprintf(why, n, "unshare(CLONE_NEWNET): %s", strerror(errno));
			return -1;
		}
		in_user_ns = 1;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return 0;
}

/* ---- 1. bad input ------------------------------------------------------ */

struct bad_input {
	const char *name;
	enum { LISTEN, CLIENT, CLOSE } fn;
	int a, b;              /* listen: port, NULL?; client: ip (host order), port; close: kind */
	int netns;             /* run inside a private network namespace */
	int want_rc;           /* -1, or 1 for "a descriptor" */
	int want_errno;        /* 0: errno not checked (success) */
	const char *want_out;  /* NULL: not checked */
};

enum { CLOSE_NULL, CLOSE_MINUS1, CLOSE_CLOSED, CLOSE_PIPE };

/* The table in docs/HARDENING.md, row for row. */
static const struct bad_input BAD[] = {
	{ "listenSocket(0, NULL)", LISTEN, 0, 1, 0, -1, EINVAL, "" },
	{ "listenSocket(-1, &a)", LISTEN, -1, 0, 0, -1, EINVAL, "" },
	{ "listenSocket(65536, &a)", LISTEN, 65536, 0, 0, -1, EINVAL, "" },
	{ "listenSocket(INT_MIN, &a)", LISTEN, INT_MIN, 0, 0, -1, EINVAL, "" },
	{ "listenSocket(INT_MAX, &a)", LISTEN, INT_MAX, 0, 0, -1, EINVAL, "" },
	{ "listenSocket(0, &a)", LISTEN, 0, 0, 0, 1, 0, "" },
	{ "tcpCreateClient(0.0.0.0, closed port)", CLIENT, 0, -1, 1, -1, ECONNREFUSED, "connection fail\r\n" },
	{ "tcpCreateClient(255.255.255.255, 80)", CLIENT, (int)0xffffffffu, 80, 1, -1, ENETUNREACH, "connection fail\r\n" },
	{ "tcpCreateClient(127.0.0.1, closed port)", CLIENT, 0x7f000001, -1, 1, -1, ECONNREFUSED, "connection fail\r\n" },
	{ "tcpCreateClient(127.0.0.1, 0)", CLIENT, 0x7f000001, 0, 1, -1, ECONNREFUSED, "connection fail\r\n" },
	{ "tcpCreateClient(192.0.2.1, 0)", CLIENT, (int)0xc0000201u, 0, 1, -1, ENETUNREACH, "connection fail\r\n" },
	{ "tcpCloseSocket(NULL)", CLOSE, CLOSE_NULL, 0, 0, -1, EINVAL, "" },
	{ "tcpCloseSocket(&-1)", CLOSE, CLOSE_MINUS1, 0, 0, -1, 0, "" },
	{ "tcpCloseSocket(&closed fd)", CLOSE, CLOSE_CLOSED, 0, 0, -1, EBADF, "" },
	{ "tcpCloseSocket(&pipe fd)", CLOSE, CLOSE_PIPE, 0, 0, -1, 0, "" },
};

static void sc_bad_input(void *arg)
{
	const struct bad_input *t = arg;
	struct sockaddr_in a;
	struct sigaction sa;
	int rc = -1, fd;

	if (t->netns && private_net(res->note, sizeof(res->note)) != 0) {
		res->extra = -1; /* skipped */
		return;
	}
	memset(&a, 0xA5, sizeof(a));
	res->fds_before = count_fds();
	errno = 0;
	switch (t->fn) {
	case LISTEN:
		rc = listenSocket(t->a, t->b ? NULL : &a);
		res->err = errno;
		sigaction(SIGPIPE, NULL, &sa);
		/* Validation failures must not touch SIGPIPE or *servAddr. */
		if (rc == -1 && (sa.sa_handler != SIG_DFL || ((unsigned char *)&a)[0] != 0xA5))
			res->extra = 1;
		break;
	case CLIENT: {
		int port = t->b;
		if (port < 0) { /* a port where nothing listens */
			int l;
			port = 0;
			l = plain_listener(&port, 1);
			close(l);
		}
		rc = tcpCreateClient((int)htonl((uint32_t)t->a), (unsigned short)port);
		res->err = errno;
		break;
	}
	case CLOSE:
		fd = -1;
		if (t->a == CLOSE_CLOSED) {
			fd = lowest_free_fd();
		} else if (t->a == CLOSE_PIPE) {
			int p[2];
			if (pipe(p) == 0) {
				close(p[1]);
				fd = p[0];
				res->fds_before = count_fds() - 1; /* closing it is the point */
			}
		}
		errno = 0;
		tcpCloseSocket(t->a == CLOSE_NULL ? NULL : &fd);
		res->err = errno;
		rc = -1;
		if (t->a != CLOSE_NULL && fd != -1)
			res->extra = 2; /* *socketFd not reset */
		break;
	}
	res->rc = rc;
	if (rc >= 0)
		close(rc);
	res->fds_after = count_fds();
}

static void test_bad_input(void)
{
	size_t i;

	for (i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++) {
		const struct bad_input *t = &BAD[i];

		run(t->name, sc_bad_input, (void *)t);
		if (res->extra == -1) {
			t_skip(t->name, "%s", res->note);
			continue;
		}
		if (t->want_rc == 1)
			t_check(res->rc >= 0, t->name, "rc %d errno %d, want a descriptor", res->rc, res->err);
		else
			t_check(res->rc == -1, t->name, "rc %d, want -1", res->rc);
		if (t->want_errno || t->fn == CLOSE)
			t_check(res->err == t->want_errno, t->name, "errno %d (%s), want %d (%s)", res->err,
			       strerror(res->err), t->want_errno, strerror(t->want_errno));
		t_check(res->fds_after == res->fds_before, t->name, "fds %d -> %d", res->fds_before, res->fds_after);
		t_check(res->extra == 0, t->name, "side effect before validation failed (%d)", res->extra);
		if (t->want_out)
			t_check(strcmp(out, t->want_out) == 0, t->name, "stdout \"%s\"", out);
	}
}

/* ---- 2. faults ----------------------------------------------------------- */

static void sc_eacces(void *arg)
{
	FILE *f;
	struct sockaddr_in a;
	int start = 1024, port;

	(void)arg;
	if (private_net(res->note, sizeof(res->note)) != 0) {
		res->extra = -1;
		return;
	}
	f = fopen("/proc/sys/net/ipv4/ip_unprivileged_port_start", "r");
	if (f) {
		if (fscanf(f, "%d", &start) != 1)
			start = 1024;
		fclose(f);
	}
	if (start <= 1) {
		snprintf(res->note, sizeof(res->note), "every port is unprivileged here (ip_unprivileged_port_start=%d)",
			 start);
		res->extra = -1;
		return;
	}
	if (in_user_ns) {
		snprintf(res->note, sizeof(res->note), "in a user namespace the process may bind any port");
		res->extra = -1;
		return;
	}
	port = start - 1;
	if (geteuid() == 0 && (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)) {
		snprintf(res->note, sizeof(res->note), "cannot drop privileges: %s", strerror(errno));
		res->extra = -1;
		return;
	}
	res->fds_before = count_fds();
	errno = 0;
	res->rc = listenSocket(port, &a);
	res->err = errno;
	res->fds_after = count_fds();
	res->extra = port;
}

static void sc_enetunreach(void *arg)
{
	(void)arg;
	if (private_net(res->note, sizeof(res->note)) != 0) {
		res->extra = -1;
		return;
	}
	res->fds_before = count_fds();
	errno = 0;
	res->rc = tcpCreateClient((int)inet_addr("192.0.2.1"), 80); /* TEST-NET-1: no route here */
	res->err = errno;
	res->fds_after = count_fds();
}

static void sc_epipe(void *arg)
{
	struct sockaddr_in a;
	int l, c, s, i;
	ssize_t n = 0;

	(void)arg;
	l = listenSocket(0, &a);
	c = tcpCreateClient((int)inet_addr("127.0.0.1"), ntohs(a.sin_port));
	s = accept(l, NULL, NULL);
	tcpCloseSocket(&c);
	usleep(20000);
	for (i = 0; i < 100 && n >= 0; i++)
		n = send(s, "data", 4, 0);
	res->rc = (int)n;
	res->err = errno;
	close(s);
	close(l);
}

static void test_faults(void)
{
	char want[256];

	run("EACCES: privileged port, unprivileged user", sc_eacces, NULL);
	if (res->extra == -1) {
		t_skip("EACCES", "%s", res->note);
	} else {
		t_check(res->rc == -1 && res->err == EACCES, "EACCES", "port %d: rc %d errno %d", res->extra, res->rc,
		       res->err);
		t_check(res->fds_after == res->fds_before, "EACCES", "fds %d -> %d", res->fds_before, res->fds_after);
		snprintf(want, sizeof(want), "fail to bind local address(%s)\n", strerror(EACCES));
		t_check(strcmp(out, want) == 0, "EACCES", "stdout \"%s\"", out);
	}
	run("ENETUNREACH: no route", sc_enetunreach, NULL);
	if (res->extra == -1) {
		t_skip("ENETUNREACH", "%s", res->note);
	} else {
		t_check(res->rc == -1 && res->err == ENETUNREACH, "ENETUNREACH", "rc %d errno %d", res->rc, res->err);
		t_check(res->fds_after == res->fds_before, "ENETUNREACH", "fds %d -> %d", res->fds_before,
		       res->fds_after);
		t_check(strcmp(out, "connection fail\r\n") == 0, "ENETUNREACH", "stdout \"%s\"", out);
	}
	run("EPIPE: write to a gone peer after listenSocket", sc_epipe, NULL);
	t_check(res->rc == -1 && res->err == EPIPE, "EPIPE", "send rc %d errno %d", res->rc, res->err);
}

/* ---- 3. signal storms during connect -------------------------------------- */

/* Signals with SA_RESTART, so the kernel resumes the connect. drain: a
 * helper accepts one connection after 200 ms; otherwise it closes the
 * listener after 300 ms. */
static void sc_storm(void *arg)
{
	struct storm st;
	int drain = *(int *)arg, port = 0, fill[16], i, fd, listener;

	listener = plain_listener(&port, 15);
	fill_accept_queue(port, fill);
	res->fds_before = count_fds();
	storm_start(&st, listener, drain, 1, drain ? 200000 : 300000, 1000);
	errno = 0;
	fd = tcpCreateClient((int)inet_addr("127.0.0.1"), (unsigned short)port);
	res->err = errno;
	res->extra = storm_stop(&st);
	res->rc = fd;
	if (fd >= 0) {
		int e = 0;
		socklen_t len = sizeof(e);
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len);
		if (e != 0)
			res->rc = -2;
		tcpCloseSocket(&fd);
	}
	if (!drain)
		res->fds_before--; /* the helper closed the listener */
	res->fds_after = count_fds();
	for (i = 0; i < 16; i++)
		close(fill[i]);
}

/* The classic C timeout of a blocking connect: a SIGALRM handler installed
 * without SA_RESTART, alarm(1), then tcpCreateClient towards a listener
 * whose full accept queue drops the SYNs. The signal must end the call
 * (EINTR, "connection fail") as it ended the original's. So that a broken
 * library cannot hang the run, a helper frees a place in the queue after
 * 10 s if the call has not returned by then: the call would then connect,
 * and the check fails. res->extra: how long the call took, in ms. */
static int alarm_done[2];

static void on_alarm(int sig) { (void)sig; }

static void *alarm_backstop(void *arg)
{
	struct pollfd p = { alarm_done[0], POLLIN, 0 };

	if (poll(&p, 1, 10000) == 0)
		close(accept(*(int *)arg, NULL, NULL));
	return NULL;
}

static void sc_alarm(void *arg)
{
	struct sigaction sa;
	struct timespec t0, t1;
	pthread_t helper;
	sigset_t block, old;
	int port = 0, fill[16], i, fd, listener;

	(void)arg;
	listener = plain_listener(&port, 15);
	fill_accept_queue(port, fill);
	res->fds_before = count_fds();
	if (pipe(alarm_done) != 0)
		return;
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &block, &old); /* the helper never takes the signal */
	pthread_create(&helper, NULL, alarm_backstop, &listener);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = 0; /* no SA_RESTART: the caller asks for EINTR */
	sigaction(SIGALRM, &sa, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	alarm(1);
	errno = 0;
	fd = tcpCreateClient((int)inet_addr("127.0.0.1"), (unsigned short)port);
	res->err = errno;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	alarm(0);
	res->rc = fd;
	res->extra = (int)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
	(void)!write(alarm_done[1], "x", 1);
	pthread_join(helper, NULL);
	close(alarm_done[0]);
	close(alarm_done[1]);
	tcpCloseSocket(&fd);
	res->fds_after = count_fds();
	for (i = 0; i < 16; i++)
		close(fill[i]);
	close(listener);
}

static void test_storm(void)
{
	int drain = 1, close_it = 0;

	run("signal storm, queue drains", sc_storm, &drain);
	t_check(res->extra > 0, "storm/drain", "no signal arrived during the connect");
	t_check(res->rc >= 0, "storm/drain", "rc %d errno %d (%s)", res->rc, res->err, strerror(res->err));
	t_check(res->fds_after == res->fds_before, "storm/drain", "fds %d -> %d", res->fds_before, res->fds_after);
	printf("  storm, queue drains: %d signals, connected\n", res->extra);

	run("signal storm, listener closes", sc_storm, &close_it);
	t_check(res->extra > 0, "storm/close", "no signal arrived during the connect");
	t_check(res->rc >= 0 || (res->rc == -1 && res->err != EINTR && res->err != EALREADY && res->err != EISCONN &&
				res->err != EINPROGRESS),
	       "storm/close", "rc %d errno %d (%s): not a real error", res->rc, res->err, strerror(res->err));
	t_check(res->fds_after == res->fds_before, "storm/close", "fds %d -> %d", res->fds_before, res->fds_after);
	printf("  storm, listener closes: %d signals, rc %d, errno %s\n", res->extra, res->rc,
	       res->rc == -1 ? strerror(res->err) : "-");

	run("alarm(1) during a connect, no SA_RESTART", sc_alarm, NULL);
	t_check(res->rc == -1 && res->err == EINTR, "alarm", "rc %d errno %d (%s), want -1 EINTR after %d ms", res->rc,
		res->err, strerror(res->err), res->extra);
	t_check(strcmp(out, "connection fail\r\n") == 0, "alarm", "stdout \"%s\"", out);
	t_check(res->fds_after == res->fds_before, "alarm", "fds %d -> %d", res->fds_before, res->fds_after);
	printf("  alarm(1): tcpCreateClient returned after %d ms, errno %s\n", res->extra,
	       res->rc == -1 ? strerror(res->err) : "-");
}

/* ---- 4. descriptor accounting --------------------------------------------- */

static void sc_accounting(void *arg)
{
	long total = *(long *)arg, per = total / 5, i;
	struct sockaddr_in a;
	struct rlimit rl, saved;
	int occupied, port = 0, closed_port = 0, l;

	occupied = listenSocket(0, &a);
	port = ntohs(a.sin_port);
	l = plain_listener(&closed_port, 1);
	close(l);
	res->fds_before = count_fds();
	for (i = 0; i < per; i++) { /* EINVAL */
		if (listenSocket(i % 2 ? -1 - (int)i : 65536 + (int)i, &a) != -1 || errno != EINVAL)
			res->extra++;
	}
	for (i = 0; i < per; i++) { /* EADDRINUSE at bind */
		if (listenSocket(port, &a) != -1 || errno != EADDRINUSE)
			res->extra++;
	}
	for (i = 0; i < per; i++) { /* ECONNREFUSED at connect */
		if (tcpCreateClient((int)inet_addr("127.0.0.1"), (unsigned short)closed_port) != -1 ||
		    errno != ECONNREFUSED)
			res->extra++;
	}
	getrlimit(RLIMIT_NOFILE, &rl);
	saved = rl;
	rl.rlim_cur = (rlim_t)lowest_free_fd();
	setrlimit(RLIMIT_NOFILE, &rl);
	for (i = 0; i < per; i++) { /* EMFILE at socket */
		int rc = i % 2 ? listenSocket(0, &a) : tcpCreateClient((int)inet_addr("127.0.0.1"), 9);
		if (rc != -1 || errno != EMFILE)
			res->extra++;
	}
	setrlimit(RLIMIT_NOFILE, &saved);
	for (i = 0; i < per; i++) { /* injected at every later step */
		static const enum fault_call steps[] = { F_SETSOCKOPT, F_BIND, F_LISTEN, F_GETSOCKNAME, F_CONNECT, F_FCNTL };
		enum fault_call f = steps[i % 6];
		int rc;
		fault_arm(f, ENOBUFS);
		if (f == F_CONNECT || f == F_FCNTL)
			rc = tcpCreateClient((int)inet_addr("127.0.0.1"), (unsigned short)port);
		else
			rc = listenSocket(0, &a);
		fault_arm(F_NONE, 0);
		if (rc != -1 || errno != ENOBUFS) {
			res->extra++;
			if (rc >= 0)
				close(rc);
		}
		/* The connect that succeeded before fcntl failed is in the queue. */
		if (f == F_FCNTL)
			close(accept(occupied, NULL, NULL));
	}
	res->fds_after = count_fds();
	res->rc = (int)(per * 5);
	close(occupied);
}

static void test_accounting(void)
{
	long total = quick ? 10000 : 100000;
	struct timeval t0, t1;

	gettimeofday(&t0, NULL);
	run("descriptor accounting", sc_accounting, &total);
	gettimeofday(&t1, NULL);
	t_check(res->extra == 0, "accounting", "%d calls did not fail with the expected errno", res->extra);
	t_check(res->fds_after == res->fds_before, "accounting", "fds %d -> %d after %d failing calls", res->fds_before,
	       res->fds_after, res->rc);
	printf("  accounting: %d failing calls, fds %d -> %d, %.1f s\n", res->rc, res->fds_before, res->fds_after,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_usec - t0.tv_usec) / 1e6);
}

/* ---- 5. concurrency -------------------------------------------------------- */

#define MAX_THREADS 16
#define MAX_FD 65536

static int n_threads, n_cycles;
static _Atomic int owner[MAX_FD]; /* 0 = free, else thread id + 1 */
static _Atomic int conc_errors;
struct pair { int fd, port; };
static struct pair *pairs; /* per thread, per cycle: what its success line must say */

static void claim(int fd, int who)
{
	int expected = 0;

	if (fd < 0 || fd >= MAX_FD || !atomic_compare_exchange_strong(&owner[fd], &expected, who))
		atomic_fetch_add(&conc_errors, 1);
}

static void release(int fd, int who)
{
	int expected = who;

	if (fd < 0 || fd >= MAX_FD || !atomic_compare_exchange_strong(&owner[fd], &expected, 0))
		atomic_fetch_add(&conc_errors, 1);
}

static void *worker(void *arg)
{
	int id = (int)(long)arg, i;
	struct linger rst = { 1, 0 };

	for (i = 0; i < n_cycles; i++) {
		struct sockaddr_in a;
		int l, c, s, port;

		l = listenSocket(0, &a);
		if (l < 0) {
			atomic_fetch_add(&conc_errors, 1);
			continue;
		}
		claim(l, id + 1);
		port = ntohs(a.sin_port);
		c = tcpCreateClient((int)inet_addr("127.0.0.1"), (unsigned short)port);
		if (c < 0) {
			atomic_fetch_add(&conc_errors, 1);
		} else {
			claim(c, id + 1);
			pairs[id * n_cycles + i].fd = c;
			pairs[id * n_cycles + i].port = port;
		}
		s = accept(l, NULL, NULL);
		if (s >= 0) {
			setsockopt(s, SOL_SOCKET, SO_LINGER, &rst, sizeof(rst)); /* no TIME_WAIT left behind */
			close(s);
		}
		if (c >= 0) {
			release(c, id + 1);
			tcpCloseSocket(&c);
		}
		release(l, id + 1);
		tcpCloseSocket(&l);
	}
	return NULL;
}

static void sc_concurrency(void *arg)
{
	pthread_t t[MAX_THREADS];
	long i;

	(void)arg;
	res->fds_before = count_fds();
	for (i = 0; i < n_threads; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (i = 0; i < n_threads; i++)
		pthread_join(t[i], NULL);
	res->extra = atomic_load(&conc_errors);
	res->fds_after = count_fds();
}

static int cmp_pair(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;
	return a->fd != b->fd ? (a->fd > b->fd) - (a->fd < b->fd) : (a->port > b->port) - (a->port < b->port);
}

static void test_concurrency(void)
{
	size_t n, got = 0, bad_lines = 0, k;
	struct pair *lines;
	char *line, *save = NULL;
	struct timeval t0, t1;

	n_threads = quick ? 4 : 16;
	n_cycles = 1000;
	n = (size_t)n_threads * (size_t)n_cycles;
	pairs = mmap(NULL, n * sizeof(*pairs), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	lines = calloc(n + 1, sizeof(*lines));
	gettimeofday(&t0, NULL);
	run("concurrency", sc_concurrency, NULL);
	gettimeofday(&t1, NULL);
	t_check(res->extra == 0, "concurrency", "%d failed calls or descriptors shared while open", res->extra);
	t_check(res->fds_after == res->fds_before, "concurrency", "fds %d -> %d", res->fds_before, res->fds_after);
	/* Every line intact, naming a peer that one thread connected with that descriptor. */
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int fd, port, end = 0;
		if (sscanf(line, "Client Socket connect OK Server Socket[%d] IP[127.0.0.1, %d] %n", &fd, &port, &end) == 2 &&
		    end == (int)strlen(line) && got < n) {
			lines[got].fd = fd;
			lines[got].port = ntohs((unsigned short)port);
			got++;
		} else {
			bad_lines++;
		}
	}
	t_check(bad_lines == 0, "concurrency", "%zu lines not intact", bad_lines);
	t_check(got == n, "concurrency", "%zu success lines, want %zu", got, n);
	qsort(lines, got, sizeof(*lines), cmp_pair);
	qsort(pairs, n, sizeof(*pairs), cmp_pair);
	for (k = 0; k < got && k < n; k++)
		if (lines[k].fd != pairs[k].fd || lines[k].port != pairs[k].port)
			break;
	t_check(k == n, "concurrency", "printed (fd, port) pairs differ from the threads' own from #%zu", k);
	printf("  concurrency: %d threads x %d cycles of listen, connect, close in %.1f s\n", n_threads, n_cycles,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_usec - t0.tv_usec) / 1e6);
	free(lines);
	munmap(pairs, n * sizeof(*pairs));
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			quick = 1;
	}
	res = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	test_bad_input();
	test_faults();
	test_storm();
	test_accounting();
	test_concurrency();
	return t_summary("test_hardening", NULL);
}
