/*
 * The C contract of listenSocket, tcpCreateClient and tcpCloseSocket, tested
 * the way C programs use them: this file sees only sockctl.h and the legacy
 * declarations, and is linked once against libsockctl.a and once against
 * libsockctl.so.
 *
 * Each scenario runs in a forked child whose stdout is a pipe, so the
 * messages are captured as a host program would produce them: through the
 * same stdio buffer as the scenario's own printf lines, in order. The child
 * records what it measured (return value, errno, descriptor counts, ...) in
 * shared memory; the parent checks it all.
 *
 * Loopback only, ephemeral ports only; the slowest case (a connect held up
 * by a full accept queue under a signal storm) takes about one second.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "legacy_types.h"
#include "sockctl.h"
#include "faults.h"
#include "testlib.h"

/* ---- harness ---------------------------------------------------------- */

static const char *current; /* the scenario, named in each failure */

#define CHECK(cond, ...) t_check((cond) ? 1 : 0, current, __VA_ARGS__)

static void check_output(const char *got, const char *want)
{
	CHECK(strcmp(got, want) == 0, "stdout differs");
	if (strcmp(got, want) != 0) {
		t_show("got ", got);
		t_show("want", want);
	}
}

/* What a scenario measured, in memory shared with the parent. */
struct facts {
	int rc, err;
	int fds_before, fds_after;
	int port;                     /* a port the scenario found or used */
	int extra;                    /* scenario-specific */
	struct sockaddr_in addr;      /* *servAddr as listenSocket left it */
	char calls[512];              /* the calls made, see faults.h */
};

static struct facts *facts;
static char out[8192];

static void call_scenario(void *fn)
{
	((void (*)(void))fn)();
}

/* Runs fn in a child with stdout on a pipe (see run_captured); its stdout
 * lands in out, its measurements in *facts. */
static void run(const char *name, void (*fn)(void))
{
	int status;

	current = name;
	memset(facts, 0, sizeof(*facts));
	memset(&facts->addr, 0xA5, sizeof(facts->addr));
	run_captured(call_scenario, (void *)fn, out, sizeof(out), &status);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child did not exit cleanly (status %#x)", status);
}

static int int_opt(int fd, int level, int name)
{
	int v = -12345;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, level, name, &v, &len) != 0)
		return -12345;
	return v;
}

static int sigpipe_ignored(int *flags)
{
	struct sigaction old;

	sigaction(SIGPIPE, NULL, &old);
	if (flags) /* the C library may add SA_RESTORER: look at the flags a caller sets */
		*flags = old.sa_flags & (SA_RESTART | SA_SIGINFO | SA_NODEFER | SA_RESETHAND | SA_ONSTACK);
	return old.sa_handler == SIG_IGN;
}

/* A port where nothing listens now (bound and released). */
static int free_port(void)
{
	int port = 0, fd = plain_listener(&port, 1);

	close(fd);
	return port;
}

/* A legacy message with <strerror> and <errno> filled in for err, from this
 * C library's own strerror (musl words its messages unlike glibc). */
static void expand(char *buf, size_t n, const char *tmpl, int err)
{
	size_t len = 0;

	buf[0] = '\0';
	while (*tmpl && len + 1 < n) {
		if (strncmp(tmpl, "<strerror>", 10) == 0) {
			len += (size_t)snprintf(buf + len, n - len, "%s", strerror(err));
			tmpl += 10;
		} else if (strncmp(tmpl, "<errno>", 7) == 0) {
			len += (size_t)snprintf(buf + len, n - len, "%d", err);
			tmpl += 7;
		} else {
			buf[len++] = *tmpl++;
			buf[len] = '\0';
		}
	}
}

static void check_addr(const struct sockaddr_in *a, int port)
{
	static const unsigned char zero[8];

	CHECK(a->sin_family == AF_INET, "servAddr family %d", a->sin_family);
	CHECK(a->sin_addr.s_addr == htonl(INADDR_ANY), "servAddr address %#x", a->sin_addr.s_addr);
	CHECK(ntohs(a->sin_port) == port, "servAddr port %d, want %d", ntohs(a->sin_port), port);
	CHECK(memcmp(a->sin_zero, zero, sizeof(zero)) == 0, "servAddr sin_zero not zeroed");
}

static void check_untouched(const struct sockaddr_in *a)
{
	unsigned char pattern[sizeof(*a)];

	memset(pattern, 0xA5, sizeof(pattern));
	CHECK(memcmp(a, pattern, sizeof(*a)) == 0, "servAddr was written");
}

/* ---- listenSocket ----------------------------------------------------- */

static int listen_fd_checks(int fd, int port)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int bad = 0;

	memset(&a, 0, sizeof(a));
	bad |= int_opt(fd, SOL_SOCKET, SO_REUSEADDR) != 1;
	bad |= (int_opt(fd, SOL_SOCKET, SO_TYPE) != SOCK_STREAM) << 1;
	bad |= (int_opt(fd, SOL_SOCKET, SO_ACCEPTCONN) != 1) << 2;
	bad |= ((fcntl(fd, F_GETFL) & O_NONBLOCK) != 0) << 3;
	bad |= ((fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0) << 4;
	bad |= (getsockname(fd, (struct sockaddr *)&a, &len) != 0 || a.sin_family != AF_INET ||
		a.sin_addr.s_addr != htonl(INADDR_ANY) || ntohs(a.sin_port) != port) << 5;
	/* Backlog 15: the listener lets 16 connections complete, not 15 or 17
	 * (asked by filling the queue: TCP_INFO is not translated by qemu-user).
	 * On the port actually bound, so that a wrong port is bit 5 only. */
	bad |= (accept_queue_capacity(ntohs(a.sin_port), 20, 250) != 16) << 6;
	/* (SO_PROTOCOL and SO_DOMAIN: not on every system; macOS has neither.) */
#ifdef SO_PROTOCOL
	bad |= (int_opt(fd, SOL_SOCKET, SO_PROTOCOL) != IPPROTO_TCP) << 7;
#endif
#ifdef SO_DOMAIN
	bad |= (int_opt(fd, SOL_SOCKET, SO_DOMAIN) != AF_INET) << 8;
#endif
	return bad;
}

static void sc_listen_port0(void)
{
	int flags;

	facts->fds_before = count_fds();
	printf("before\n");
	call_log_reset();
	errno = 0;
	facts->rc = listenSocket(0, &facts->addr);
	facts->err = errno;
	snprintf(facts->calls, sizeof(facts->calls), "%s", call_log());
	printf("after\n");
	facts->fds_after = count_fds();
	facts->port = ntohs(facts->addr.sin_port);
	facts->extra = listen_fd_checks(facts->rc, facts->port);
	if (!sigpipe_ignored(&flags) || flags != 0)
		facts->extra |= 1 << 16;
}

static void sc_listen_fixed(void)
{
	facts->port = free_port();
	call_log_reset();
	facts->rc = listenSocket(facts->port, &facts->addr);
	facts->err = errno;
	snprintf(facts->calls, sizeof(facts->calls), "%s", call_log());
	facts->extra = facts->rc >= 0 ? listen_fd_checks(facts->rc, facts->port) : -1;
}

static void sc_listen_in_use(void)
{
	struct sockaddr_in first;
	int fd = listenSocket(0, &first);

	facts->port = ntohs(first.sin_port);
	facts->extra = fd;
	printf("before\n");
	facts->fds_before = count_fds();
	close_clobbers_errno = 1;
	errno = 0;
	facts->rc = listenSocket(facts->port, &facts->addr);
	facts->err = errno;
	close_clobbers_errno = 0;
	facts->fds_after = count_fds();
	printf("after errno=%d\n", facts->err);
}

static int bad_port;

static void sc_listen_einval(void)
{
	facts->fds_before = count_fds();
	printf("before\n");
	call_log_reset();
	errno = 0;
	facts->rc = listenSocket(bad_port, bad_port == 1 ? NULL : &facts->addr);
	facts->err = errno;
	snprintf(facts->calls, sizeof(facts->calls), "%s", call_log());
	printf("after\n");
	facts->fds_after = count_fds();
	facts->extra = sigpipe_ignored(NULL);
}

/* With RLIMIT_NOFILE at the lowest free descriptor, socket() fails with EMFILE. */
static void call_without_descriptors(int client)
{
	struct rlimit rl, saved;

	facts->fds_before = count_fds();
	getrlimit(RLIMIT_NOFILE, &rl);
	saved = rl;
	rl.rlim_cur = (rlim_t)lowest_free_fd(); /* every number below is taken */
	setrlimit(RLIMIT_NOFILE, &rl);
	printf("before\n");
	errno = 0;
	facts->rc = client ? tcpCreateClient(inet_addr("127.0.0.1"), 9) : listenSocket(0, &facts->addr);
	facts->err = errno;
	printf("after\n");
	setrlimit(RLIMIT_NOFILE, &saved); /* count_fds needs a descriptor */
	facts->fds_after = count_fds();
}

static void sc_listen_emfile(void) { call_without_descriptors(0); }

static enum fault_call fault;
static int fault_errno;

static void sc_listen_fault(void)
{
	facts->fds_before = count_fds();
	printf("before\n");
	fault_arm(fault, fault_errno);
	close_clobbers_errno = 1;
	errno = 0;
	facts->rc = listenSocket(0, &facts->addr);
	facts->err = errno;
	close_clobbers_errno = 0;
	fault_arm(F_NONE, 0);
	printf("after\n");
	facts->fds_after = count_fds();
	facts->extra = sigpipe_ignored(NULL);
}

static void sc_sigpipe_survives(void)
{
	struct sockaddr_in a;
	int l = listenSocket(0, &a);
	int c = tcpCreateClient(inet_addr("127.0.0.1"), ntohs(a.sin_port));
	int s = accept(l, NULL, NULL);
	ssize_t n = 0;
	int i;

	close(c); /* the peer goes away */
	usleep(10000);
	errno = 0;
	for (i = 0; i < 100 && n >= 0; i++) /* the first write may still succeed (RST pending) */
		n = send(s, "x", 1, 0);
	facts->rc = (int)n;
	facts->err = errno;
	close(s);
	close(l);
}

static void test_listen(void)
{
	static const int bad_ports[] = { 1 /* NULL servAddr */, -1, 65536, (int)0x80000000u, 0x7fffffff };
	struct {
		enum fault_call call;
		int err;
		const char *message;
	} faults[] = {
		{ F_SOCKET, ENOBUFS, "fail : can't open stream socket\n" },
		{ F_SETSOCKOPT, ENOMEM, "fail socket option apply. option name is SO_REUSEADDR." },
		{ F_BIND, EACCES, "fail to bind local address(<strerror>)\n" },
		{ F_GETSOCKNAME, ENOBUFS, "" },
		{ F_LISTEN, EADDRINUSE, "fail to liten for connection\r\n" },
	};
	char want[512], message[256];
	size_t i;

	run("listenSocket(0) succeeds", sc_listen_port0);
	CHECK(facts->rc >= 0, "rc %d errno %d", facts->rc, facts->err);
	CHECK(facts->fds_after == facts->fds_before + 1, "fds %d -> %d", facts->fds_before, facts->fds_after);
	check_output(out, "before\nafter\n");
	CHECK(facts->port != 0, "servAddr holds port 0, not the bound port");
	check_addr(&facts->addr, facts->port);
	CHECK(facts->extra == 0, "socket properties wrong: bit mask %#x (see listen_fd_checks)", facts->extra);
	CHECK(strcmp(facts->calls, "sigaction socket setsockopt bind getsockname listen") == 0,
	      "calls: %s", facts->calls);

	run("listenSocket(fixed port) succeeds with 5 calls", sc_listen_fixed);
	CHECK(facts->rc >= 0, "rc %d errno %d (port %d)", facts->rc, facts->err, facts->port);
	CHECK(facts->extra == 0, "socket properties wrong: bit mask %#x", facts->extra);
	check_addr(&facts->addr, facts->port);
	CHECK(strcmp(facts->calls, "sigaction socket setsockopt bind listen") == 0, "calls: %s", facts->calls);
	check_output(out, "");

	run("listenSocket on a port in use: EADDRINUSE, errno kept across close", sc_listen_in_use);
	CHECK(facts->extra >= 0, "first listenSocket failed");
	CHECK(facts->rc == -1 && facts->err == EADDRINUSE, "rc %d errno %d", facts->rc, facts->err);
	CHECK(facts->fds_after == facts->fds_before, "fds %d -> %d", facts->fds_before, facts->fds_after);
	snprintf(want, sizeof(want), "before\nfail to bind local address(%s)\nafter errno=%d\n",
		 strerror(EADDRINUSE), EADDRINUSE);
	check_output(out, want);
	check_addr(&facts->addr, facts->port); /* filled before bind, as the original did */

	for (i = 0; i < sizeof(bad_ports) / sizeof(bad_ports[0]); i++) {
		bad_port = bad_ports[i];
		run(bad_port == 1 ? "listenSocket(NULL servAddr): EINVAL" : "listenSocket(bad port): EINVAL",
		    sc_listen_einval);
		CHECK(facts->rc == -1 && facts->err == EINVAL, "port %d: rc %d errno %d", bad_port, facts->rc,
		      facts->err);
		CHECK(facts->fds_after == facts->fds_before, "fds %d -> %d", facts->fds_before, facts->fds_after);
		check_output(out, "before\nafter\n");
		CHECK(facts->extra == 0, "SIGPIPE disposition changed before validation");
		CHECK(facts->calls[0] == '\0', "calls made before validation: %s", facts->calls);
		check_untouched(&facts->addr);
	}

	run("listenSocket with no descriptor left: EMFILE", sc_listen_emfile);
	CHECK(facts->rc == -1 && facts->err == EMFILE, "rc %d errno %d", facts->rc, facts->err);
	CHECK(facts->fds_after == facts->fds_before, "fds %d -> %d", facts->fds_before, facts->fds_after);
	check_output(out, "before\nfail : can't open stream socket\nafter\n");
	check_untouched(&facts->addr);

	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		fault = faults[i].call;
		fault_errno = faults[i].err;
		run("listenSocket with an injected failure", sc_listen_fault);
		CHECK(facts->rc == -1 && facts->err == fault_errno, "fault %d: rc %d errno %d, want %d", fault,
		      facts->rc, facts->err, fault_errno);
		CHECK(facts->fds_after == facts->fds_before, "fault %d: fds %d -> %d", fault, facts->fds_before,
		      facts->fds_after);
		expand(message, sizeof(message), faults[i].message, fault_errno);
		snprintf(want, sizeof(want), "before\n%safter\n", message);
		check_output(out, want);
		CHECK(facts->extra == 1, "SIGPIPE not ignored after the sigaction step");
		if (fault >= F_BIND)
			check_addr(&facts->addr, 0);
		else
			check_untouched(&facts->addr);
	}

	fault = F_SIGACTION;
	fault_errno = EINVAL;
	run("listenSocket with sigaction failing: silent -1", sc_listen_fault);
	CHECK(facts->rc == -1 && facts->err == EINVAL, "rc %d errno %d", facts->rc, facts->err);
	CHECK(facts->fds_after == facts->fds_before, "fds %d -> %d", facts->fds_before, facts->fds_after);
	check_output(out, "before\nafter\n");
	check_untouched(&facts->addr);

	run("SIGPIPE ignored: a write to a gone peer is EPIPE, not death", sc_sigpipe_survives);
	CHECK(facts->rc == -1 && facts->err == EPIPE, "send rc %d errno %d", facts->rc, facts->err);
}

/* ---- tcpCreateClient -------------------------------------------------- */

static void sc_client_ok(void)
{
	struct sockaddr_in a, peer, local;
	socklen_t len = sizeof(peer), llen = sizeof(local);
	int l = listenSocket(0, &a), fd, bad = 0;

	facts->port = ntohs(a.sin_port);
	printf("before\n");
	facts->fds_before = count_fds();
	call_log_reset();
	errno = 0;
	fd = tcpCreateClient(inet_addr("127.0.0.1"), (unsigned short)facts->port);
	facts->err = errno;
	snprintf(facts->calls, sizeof(facts->calls), "%s", call_log());
	facts->fds_after = count_fds();
	printf("after fd=%d\n", fd);
	facts->rc = fd;
	bad |= int_opt(fd, IPPROTO_TCP, TCP_NODELAY) != 1;
	bad |= (fcntl(fd, F_GETFL) & (O_NONBLOCK | O_APPEND | O_ASYNC)) != O_NONBLOCK;
	bad |= ((fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0) << 1;
	bad |= (getpeername(fd, (struct sockaddr *)&peer, &len) != 0 || peer.sin_family != AF_INET ||
		peer.sin_addr.s_addr != htonl(INADDR_LOOPBACK) || ntohs(peer.sin_port) != facts->port) << 2;
	bad |= (getsockname(fd, (struct sockaddr *)&local, &llen) != 0 ||
		local.sin_addr.s_addr != htonl(INADDR_LOOPBACK)) << 3;
	bad |= (int_opt(fd, SOL_SOCKET, SO_TYPE) != SOCK_STREAM) << 4;
#ifdef SO_PROTOCOL
	bad |= (int_opt(fd, SOL_SOCKET, SO_PROTOCOL) != IPPROTO_TCP) << 5;
#endif
	bad |= (int_opt(fd, SOL_SOCKET, SO_ERROR) != 0) << 6;
	facts->extra = bad;
	tcpCloseSocket(&fd);
	close(l);
}

static void sc_client_refused(void)
{
	facts->port = free_port();
	facts->fds_before = count_fds();
	printf("before\n");
	close_clobbers_errno = 1;
	errno = 0;
	facts->rc = tcpCreateClient(inet_addr("127.0.0.1"), (unsigned short)facts->port);
	facts->err = errno;
	close_clobbers_errno = 0;
	printf("after errno=%d\n", facts->err);
	facts->fds_after = count_fds();
}

static void sc_client_emfile(void) { call_without_descriptors(1); }

static void sc_client_fault(void)
{
	struct sockaddr_in a;
	int l = listenSocket(0, &a);

	facts->port = ntohs(a.sin_port);
	facts->extra = lowest_free_fd();
	facts->fds_before = count_fds();
	printf("before\n");
	fault_arm(fault, fault_errno);
	close_clobbers_errno = 1;
	errno = 0;
	facts->rc = tcpCreateClient(inet_addr("127.0.0.1"), (unsigned short)facts->port);
	facts->err = errno;
	close_clobbers_errno = 0;
	fault_arm(F_NONE, 0);
	printf("after\n");
	facts->fds_after = count_fds();
	close(l);
}

/* A connect held up by a full accept queue, under a storm of signals. A
 * helper accepts one connection after 200 ms, and the SYN retransmitted
 * then completes the connect. With SA_RESTART (storm_restart) the kernel
 * resumes the interrupted connect each time; without it the first signal
 * ends tcpCreateClient as it ended the original: "connection fail", EINTR. */
static int storm_restart;

static void sc_client_signal_storm(void)
{
	struct sockaddr_in a;
	struct storm st;
	int fill[16], nfill = 0, i, fd, listener;

	listener = listenSocket(0, &a);
	facts->port = ntohs(a.sin_port);
	/* Fill the accept queue (backlog 15: 16 established connections). */
	for (i = 0; i < 16; i++)
		if ((fill[nfill] = tcpCreateClient(inet_addr("127.0.0.1"), (unsigned short)facts->port)) >= 0)
			nfill++;
	facts->fds_before = count_fds();

	storm_start(&st, listener, 1, storm_restart, 200000, 2000);
	call_log_reset();
	printf("before\n");
	errno = 0;
	fd = tcpCreateClient(inet_addr("127.0.0.1"), (unsigned short)facts->port);
	facts->err = errno;
	snprintf(facts->calls, sizeof(facts->calls), "%.500s", call_log());
	facts->extra = storm_stop(&st);
	printf("after\n");
	facts->rc = fd;
	facts->fds_after = count_fds();
	if (fd >= 0)
		facts->fds_after -= 1;
	if (fd >= 0 && int_opt(fd, SOL_SOCKET, SO_ERROR) != 0)
		facts->rc = -2;
	tcpCloseSocket(&fd);
	for (i = 0; i < nfill; i++)
		tcpCloseSocket(&fill[i]);
	close(listener);
}

static void test_client(void)
{
	struct {
		enum fault_call call;
		int err;
		int announces; /* the success line comes first */
		const char *message;
	} faults[] = {
		{ F_SOCKET, ENFILE, 0, "Socket Command error[<strerror>-<errno>]\n" },
		{ F_SETSOCKOPT, ENOPROTOOPT, 0, "" },
		{ F_CONNECT, ENETUNREACH, 0, "connection fail\r\n" },
		{ F_FCNTL, EPERM, 1, "(HOST) : Error fcntl() <errno> - <strerror>\n" },
	};
	char want[16 + 256 + 256], ok_line[256], message[256];
	size_t i;

	run("tcpCreateClient succeeds", sc_client_ok);
	CHECK(facts->rc >= 0, "rc %d errno %d", facts->rc, facts->err);
	CHECK(facts->fds_after == facts->fds_before + 1, "fds %d -> %d", facts->fds_before, facts->fds_after);
	CHECK(facts->extra == 0, "socket properties wrong: bit mask %#x (see sc_client_ok)", facts->extra);
	CHECK(strcmp(facts->calls, "socket setsockopt connect fcntl") == 0, "calls: %s", facts->calls);
	snprintf(want, sizeof(want),
		 "before\nClient Socket connect OK Server Socket[%d] IP[127.0.0.1, %d] \nafter fd=%d\n",
		 facts->rc, htons((unsigned short)facts->port), facts->rc);
	check_output(out, want);

	run("tcpCreateClient to a closed port: ECONNREFUSED, errno kept", sc_client_refused);
	CHECK(facts->rc == -1 && facts->err == ECONNREFUSED, "rc %d errno %d", facts->rc, facts->err);
	CHECK(facts->fds_after == facts->fds_before, "fds %d -> %d", facts->fds_before, facts->fds_after);
	snprintf(want, sizeof(want), "before\nconnection fail\r\nafter errno=%d\n", ECONNREFUSED);
	check_output(out, want);

	run("tcpCreateClient with no descriptor left: EMFILE", sc_client_emfile);
	CHECK(facts->rc == -1 && facts->err == EMFILE, "rc %d errno %d", facts->rc, facts->err);
	CHECK(facts->fds_after == facts->fds_before, "fds %d -> %d", facts->fds_before, facts->fds_after);
	snprintf(want, sizeof(want), "before\nSocket Command error[%s-%d]\nafter\n", strerror(EMFILE), EMFILE);
	check_output(out, want);

	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		fault = faults[i].call;
		fault_errno = faults[i].err;
		run("tcpCreateClient with an injected failure", sc_client_fault);
		CHECK(facts->rc == -1 && facts->err == fault_errno, "fault %d: rc %d errno %d, want %d", fault,
		      facts->rc, facts->err, fault_errno);
		CHECK(facts->fds_after == facts->fds_before, "fault %d: fds %d -> %d", fault, facts->fds_before,
		      facts->fds_after);
		ok_line[0] = '\0';
		if (faults[i].announces)
			snprintf(ok_line, sizeof(ok_line), "Client Socket connect OK Server Socket[%d] IP[127.0.0.1, %d] \n",
				 facts->extra, htons((unsigned short)facts->port));
		expand(message, sizeof(message), faults[i].message, fault_errno);
		snprintf(want, sizeof(want), "before\n%s%safter\n", ok_line, message);
		check_output(out, want);
	}

	storm_restart = 1;
	run("tcpCreateClient under a signal storm with SA_RESTART: connected", sc_client_signal_storm);
	CHECK(facts->extra > 0, "no signal arrived during connect");
	CHECK(facts->rc >= 0, "rc %d errno %d (%s)", facts->rc, facts->err, strerror(facts->err));
	CHECK(facts->fds_after == facts->fds_before, "fds %d -> %d", facts->fds_before, facts->fds_after);
	CHECK(strcmp(facts->calls, "socket setsockopt connect fcntl") == 0,
	      "the kernel resumes the connect: one connect call, then fcntl: %s", facts->calls);
	fprintf(stderr, "  signal storm (SA_RESTART): %d signals during tcpCreateClient\n", facts->extra);

	storm_restart = 0;
	run("tcpCreateClient under a signal without SA_RESTART: connection fail, EINTR", sc_client_signal_storm);
	CHECK(facts->extra > 0, "no signal arrived during connect");
	CHECK(facts->rc == -1 && facts->err == EINTR, "rc %d errno %d (%s), want -1 EINTR", facts->rc, facts->err,
	      strerror(facts->err));
	CHECK(facts->fds_after == facts->fds_before, "fds %d -> %d", facts->fds_before, facts->fds_after);
	CHECK(strcmp(facts->calls, "socket setsockopt connect close") == 0,
	      "an interrupted connect ends the call, its socket closed, connect not retried: %s", facts->calls);
	/* (after the success lines of the connections that fill the queue) */
	check_output(strstr(out, "before\n") ? strstr(out, "before\n") : out, "before\nconnection fail\r\nafter\n");
}

/* ---- tcpCloseSocket --------------------------------------------------- */

static void sc_close(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), copy = fd, bad = 0, neg = -5, closed;
	int pipefd[2];

	printf("before\n");
	facts->fds_before = count_fds();
	errno = 0;
	tcpCloseSocket(&fd);
	bad |= (fd != -1);
	bad |= (fcntl(copy, F_GETFD) != -1 || errno != EBADF) << 1;
	bad |= (errno = 0, tcpCloseSocket(NULL), errno != EINVAL) << 2;
	bad |= (errno = 0, tcpCloseSocket(&neg), neg != -1 || errno != 0) << 3;
	closed = copy;
	bad |= (errno = 0, tcpCloseSocket(&closed), closed != -1 || errno != EBADF) << 4;
	/* A descriptor that is not a socket is closed like any other. */
	if (pipe(pipefd) == 0) {
		copy = pipefd[0];
		bad |= (errno = 0, tcpCloseSocket(&pipefd[0]), pipefd[0] != -1 || fcntl(copy, F_GETFD) != -1) << 5;
		close(pipefd[1]);
	}
	call_log_reset();
	fd = socket(AF_INET, SOCK_STREAM, 0);
	call_log_reset();
	tcpCloseSocket(&fd);
	snprintf(facts->calls, sizeof(facts->calls), "%s", call_log());
	facts->fds_after = count_fds();
	facts->extra = bad;
	printf("after\n");
}

static void test_close(void)
{
	run("tcpCloseSocket", sc_close);
	CHECK(facts->extra == 0, "tcpCloseSocket wrong: bit mask %#x (see sc_close)", facts->extra);
	CHECK(facts->fds_after == facts->fds_before - 1, "fds %d -> %d", facts->fds_before, facts->fds_after);
	CHECK(strcmp(facts->calls, "close") == 0, "calls: %s", facts->calls);
	check_output(out, "before\nafter\n");
}

int main(void)
{
	facts = mmap(NULL, sizeof(*facts), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (facts == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	test_listen();
	test_client();
	test_close();
	return t_summary("test_contract", NULL);
}
