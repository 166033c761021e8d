/*
 * Differential test: the C reference of the original helpers (defects
 * included) and sockctl, linked into one binary, run through one scenario
 * matrix. Each scenario runs in a forked child for each implementation, so a
 * crash of the original is a recorded outcome. Every observed property is
 * compared; the differences that README.md's compatibility table documents
 * are listed once, in EXPECTED below, each with its row. Any other
 * difference fails the test.
 *
 *   test_diff                 run the matrix, print it, exit 1 on UNEXPECTED
 *   test_diff --markdown F    also write the matrix to F as a Markdown table
 *   test_diff --break P       pretend sockctl differs in property P (shows
 *                             that the test catches an undocumented change)
 *   test_diff --show P        also print property P's values, the original's
 *                             and sockctl's, under each scenario's row
 *   test_diff --run S IMPL    run scenario S with IMPL (c or rs) once, in
 *                             this process, for the strace comparison
 *   test_diff --list          the scenario names
 *
 * Loopback only; the "unreachable" scenario runs in a private network
 * namespace the child creates (skipped, with the reason, where that is not
 * allowed), so no packet can leave the host.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
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
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "faults.h"
#include "testlib.h"
#include "impls.h"

/* ---- what is observed ------------------------------------------------- */

enum prop {
	P_RET, P_ERRNO, P_REUSEADDR, P_TYPE, P_ACCEPTCONN, P_NODELAY, P_RCVBUF, P_SNDBUF, P_NONBLOCK,
	P_CLOEXEC, P_LOCAL, P_PEER, P_SERVADDR, P_SIGPIPE, P_STDOUT, P_STDIO, P_FDS, NPROPS
};

static const char *const prop_names[NPROPS] = {
	"ret", "errno", "REUSEADDR", "TYPE", "ACCEPTCONN", "NODELAY", "RCVBUF", "SNDBUF", "NONBLOCK",
	"CLOEXEC", "local", "peer", "servAddr", "SIGPIPE", "stdout", "stdio", "fds"
};

struct obs {
	int skipped;                  /* the scenario could not run here */
	char why[128];
	char value[NPROPS][160];      /* each property, as text; "" = not applicable */
};

static struct obs *shared_obs;    /* in memory shared with the children */
static char child_out[4096];

/* ---- which stdio functions print the messages -------------------------- */

/* The Makefile links this program with -Wl,--wrap= for printf, puts,
 * __printf_chk and strerror, so every call of them in it, the helpers' own
 * included, comes here first: the "stdio" property is how many of each one
 * call made. Which print function the compiled original calls for a line is
 * the compiler's doing (puts for a constant text ending in a newline, unless
 * -fno-builtin; __printf_chk under _FORTIFY_SOURCE=2); a program that wraps
 * any of them for its log, or strerror for its own texts, must see the same
 * calls with sockctl built with the same compiler and flags. */
static int n_printf, n_puts, n_printf_chk, n_strerror;
static int call_printf, call_puts, call_printf_chk, call_strerror;
int __real_puts(const char *s);
char *__real_strerror(int e);

int __wrap_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int __wrap_printf(const char *fmt, ...)
{
	va_list ap;
	int r;

	n_printf++;
	va_start(ap, fmt);
	r = vprintf(fmt, ap);
	va_end(ap);
	return r;
}

/* (glibc's; defined everywhere, called only where the C library has it.) */
int __wrap___printf_chk(int flag, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int __wrap___printf_chk(int flag, const char *fmt, ...)
{
	va_list ap;
	int r;

	(void)flag;
	n_printf_chk++;
	va_start(ap, fmt);
	r = vprintf(fmt, ap);
	va_end(ap);
	return r;
}

int __wrap_puts(const char *s)
{
	n_puts++;
	return __real_puts(s);
}

char *__wrap_strerror(int e)
{
	n_strerror++;
	return __real_strerror(e);
}

/* ---- scenario context -------------------------------------------------- */

struct ctx {
	const struct impl *im;
	struct obs *o;
	int port;                     /* chosen by the parent, same for both */
	int fds_before;
	struct sockaddr_in servAddr;  /* pre-filled with a pattern */
	int servaddr_used;
};

static void set(struct obs *o, enum prop p, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set(struct obs *o, enum prop p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->value[p], sizeof(o->value[p]), fmt, ap);
	va_end(ap);
}

/* Markers in an strace log: a write to descriptor -1 fails and does nothing. */
static void mark(const char *what)
{
	(void)!syscall(SYS_write, -1, what, strlen(what));
}

static void addr_text(char *buf, size_t n, const struct sockaddr_in *a, int eph_ok)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
	if (eph_ok)
		snprintf(buf, n, "%s:ephemeral", ip);
	else
		snprintf(buf, n, "%s:%d", ip, ntohs(a->sin_port));
}

static int opt(int fd, int level, int name, char *buf, size_t n)
{
	int v = 0;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, level, name, &v, &len) != 0)
		return snprintf(buf, n, "error %d", errno);
	return snprintf(buf, n, "%d", v);
}

/* Records the call's outcome and, for a descriptor, everything about it.
 * listen_port: the port a listener must be bound to (0: any ephemeral). */
static void observe(struct ctx *c, int rc, int err, int listen_port)
{
	struct obs *o = c->o;
	struct sigaction sa;
	int fd = rc, fds;

	set(o, P_RET, "%s", rc >= 0 ? "fd" : rc == -1 ? "-1" : "other");
	set(o, P_ERRNO, "%s", rc >= 0 ? "" : errno_name(err));
	if (rc >= 0) {
		struct sockaddr_in a;
		socklen_t len = sizeof(a);
		int fl = fcntl(fd, F_GETFL), fdfl = fcntl(fd, F_GETFD);

		opt(fd, SOL_SOCKET, SO_REUSEADDR, o->value[P_REUSEADDR], sizeof(o->value[0]));
		opt(fd, SOL_SOCKET, SO_TYPE, o->value[P_TYPE], sizeof(o->value[0]));
		opt(fd, SOL_SOCKET, SO_ACCEPTCONN, o->value[P_ACCEPTCONN], sizeof(o->value[0]));
		opt(fd, IPPROTO_TCP, TCP_NODELAY, o->value[P_NODELAY], sizeof(o->value[0]));
		opt(fd, SOL_SOCKET, SO_RCVBUF, o->value[P_RCVBUF], sizeof(o->value[0]));
		opt(fd, SOL_SOCKET, SO_SNDBUF, o->value[P_SNDBUF], sizeof(o->value[0]));
		set(o, P_NONBLOCK, "%d", (fl & O_NONBLOCK) != 0);
		set(o, P_CLOEXEC, "%d", (fdfl & FD_CLOEXEC) != 0);
		if (getsockname(fd, (struct sockaddr *)&a, &len) == 0)
			addr_text(o->value[P_LOCAL], sizeof(o->value[0]), &a,
				  listen_port == 0 || a.sin_addr.s_addr != htonl(INADDR_ANY));
		len = sizeof(a);
		if (getpeername(fd, (struct sockaddr *)&a, &len) == 0)
			addr_text(o->value[P_PEER], sizeof(o->value[0]), &a, 0);
		else
			set(o, P_PEER, "none");
	}
	if (c->servaddr_used) {
		const unsigned char *b = (const unsigned char *)&c->servAddr;
		char *p = o->value[P_SERVADDR];
		size_t i;
		int is_port0 = 0;

		/* A kernel-chosen port differs from run to run: show it as "eph". */
		if (c->port == 0 && c->servAddr.sin_port != 0 && b[4] != 0xA5)
			is_port0 = 1;
		for (i = 0; i < sizeof(c->servAddr); i++)
			p += sprintf(p, "%s%02x", i && i % 4 == 0 ? " " : "",
				     (i == 2 || i == 3) && is_port0 ? 0xEE : b[i]);
		if (is_port0)
			strcat(o->value[P_SERVADDR], " (eph=EEEE)");
	}
	set(o, P_STDIO, "printf %d, puts %d, __printf_chk %d, strerror %d", call_printf, call_puts, call_printf_chk,
	    call_strerror);
	sigaction(SIGPIPE, NULL, &sa);
	set(o, P_SIGPIPE, "%s", sa.sa_handler == SIG_IGN ? "ignored" : sa.sa_handler == SIG_DFL ? "default" : "handler");
	fds = count_fds() - (rc >= 0 ? 1 : 0);
	set(o, P_FDS, "%+d", fds - c->fds_before);
}

/* ---- scenarios ---------------------------------------------------------- */

static void begin(struct ctx *c)
{
	fflush(stdout);
	c->fds_before = count_fds();
	n_printf = n_puts = n_printf_chk = n_strerror = 0;
	mark("SOCKCTL_BEGIN");
}

static void end(void)
{
	call_printf = n_printf;
	call_puts = n_puts;
	call_printf_chk = n_printf_chk;
	call_strerror = n_strerror;
	mark("SOCKCTL_END");
}

static int do_listen(struct ctx *c, int port, int null_addr)
{
	int rc, err;

	c->servaddr_used = !null_addr;
	begin(c);
	errno = 0;
	rc = c->im->listenSocket(port, null_addr ? NULL : &c->servAddr);
	err = errno;
	end();
	observe(c, rc, err, port);
	return rc;
}

static void sc_listen_fixed(struct ctx *c) { do_listen(c, c->port, 0); }
static void sc_listen_port0(struct ctx *c) { c->port = 0; do_listen(c, 0, 0); }
static void sc_listen_null(struct ctx *c) { do_listen(c, 0, 1); }
static void sc_listen_65536(struct ctx *c) { do_listen(c, 65536, 0); }
static void sc_listen_int_min(struct ctx *c) { do_listen(c, INT_MIN, 0); }

static void sc_listen_in_use(struct ctx *c)
{
	struct sockaddr_in a;
	int holder = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	a.sin_port = htons((unsigned short)c->port);
	setsockopt(holder, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(holder, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(holder, 1) != 0) {
		c->o->skipped = 1;
		snprintf(c->o->why, sizeof(c->o->why), "could not occupy port %d", c->port);
		return;
	}
	do_listen(c, c->port, 0);
}

static void sc_listen_emfile(struct ctx *c)
{
	struct rlimit rl, saved;
	int rc, err;

	getrlimit(RLIMIT_NOFILE, &rl);
	saved = rl;
	c->servaddr_used = 1;
	begin(c);
	rl.rlim_cur = (rlim_t)lowest_free_fd();
	setrlimit(RLIMIT_NOFILE, &rl);
	errno = 0;
	rc = c->im->listenSocket(0, &c->servAddr);
	err = errno;
	setrlimit(RLIMIT_NOFILE, &saved);
	end();
	c->port = 0;
	observe(c, rc, err, 0);
}

static void listen_with_fault(struct ctx *c, enum fault_call f, int e)
{
	c->port = 0;
	fault_arm(f, e);
	do_listen(c, 0, 0);
	fault_arm(F_NONE, 0);
}

static void sc_listen_sigaction_fault(struct ctx *c) { listen_with_fault(c, F_SIGACTION, EINVAL); }
static void sc_listen_setsockopt_fault(struct ctx *c) { listen_with_fault(c, F_SETSOCKOPT, ENOMEM); }
static void sc_listen_bind_fault(struct ctx *c) { listen_with_fault(c, F_BIND, EACCES); }
static void sc_listen_listen_fault(struct ctx *c) { listen_with_fault(c, F_LISTEN, EOPNOTSUPP); }

static int do_client(struct ctx *c, const char *ip, int port)
{
	int rc, err;

	begin(c);
	errno = 0;
	rc = c->im->tcpCreateClient((int)inet_addr(ip), (unsigned short)port);
	err = errno;
	end();
	observe(c, rc, err, -1);
	return rc;
}

static void sc_client_ok(struct ctx *c)
{
	int port = c->port, l = plain_listener(&port, 15);

	do_client(c, "127.0.0.1", port);
	close(l);
}

static void sc_client_refused(struct ctx *c) { do_client(c, "127.0.0.1", c->port); }
static void sc_client_port0(struct ctx *c) { do_client(c, "127.0.0.1", 0); }

static void sc_client_emfile(struct ctx *c)
{
	struct rlimit rl, saved;
	int rc, err;

	getrlimit(RLIMIT_NOFILE, &rl);
	saved = rl;
	begin(c);
	rl.rlim_cur = (rlim_t)lowest_free_fd();
	setrlimit(RLIMIT_NOFILE, &rl);
	errno = 0;
	rc = c->im->tcpCreateClient((int)inet_addr("127.0.0.1"), (unsigned short)c->port);
	err = errno;
	setrlimit(RLIMIT_NOFILE, &saved);
	end();
	observe(c, rc, err, -1);
}

static void client_with_fault(struct ctx *c, enum fault_call f, int e)
{
	int port = c->port, l = plain_listener(&port, 15);

	fault_arm(f, e);
	do_client(c, "127.0.0.1", port);
	fault_arm(F_NONE, 0);
	close(l);
}

static void sc_client_getsockopt_fault(struct ctx *c) { client_with_fault(c, F_GETSOCKOPT, ENOBUFS); }
static void sc_client_nodelay_fault(struct ctx *c) { client_with_fault(c, F_SETSOCKOPT, ENOPROTOOPT); }
static void sc_client_fcntl_fault(struct ctx *c) { client_with_fault(c, F_FCNTL, EPERM); }

/* In a network namespace of its own: only a loopback interface, down, and
 * no routes, so a connect to a documentation address (TEST-NET-1) fails at
 * once with ENETUNREACH and no packet can leave. */
static void sc_client_unreachable(struct ctx *c)
{
	if (unshare(CLONE_NEWNET) != 0 && unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) {
		c->o->skipped = 1;
		snprintf(c->o->why, sizeof(c->o->why), "unshare(CLONE_NEWNET): %s", strerror(errno));
		return;
	}
	do_client(c, "192.0.2.1", 80);
}

/* A connect held up by a full accept queue, under a storm of signals; a
 * helper thread frees a place after 200 ms. Without SA_RESTART the first
 * signal ends the connect with EINTR; with it the kernel resumes the
 * connect, which completes once the place is free. */
static void client_storm(struct ctx *c, int restart)
{
	struct storm st;
	int port = c->port, fill[16], listener;

	listener = plain_listener(&port, 15);
	fill_accept_queue(port, fill);
	storm_start(&st, listener, 1, restart, 200000, 2000);
	do_client(c, "127.0.0.1", port);
	storm_stop(&st);
}

static void sc_client_signal_storm(struct ctx *c) { client_storm(c, 0); }
static void sc_client_signal_storm_restart(struct ctx *c) { client_storm(c, 1); }

static void do_close(struct ctx *c, int *p)
{
	int err;

	begin(c);
	errno = 0;
	c->im->tcpCloseSocket(p);
	err = errno;
	end();
	observe(c, -2, err, -1);
	set(c->o, P_RET, "%s", p == NULL ? "void" : *p == -1 ? "void, *fd=-1" : "void, *fd kept");
	set(c->o, P_ERRNO, "%s", err == 0 ? "0" : errno_name(err));
}

static void sc_close_ok(struct ctx *c)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	do_close(c, &fd);
}

static void sc_close_null(struct ctx *c) { do_close(c, NULL); }
static void sc_close_negative(struct ctx *c) { int fd = -5; do_close(c, &fd); }
static void sc_close_closed(struct ctx *c) { int fd = lowest_free_fd(); do_close(c, &fd); }

struct scenario {
	const char *name;
	void (*run)(struct ctx *);
};

static const struct scenario scenarios[] = {
	{ "listen_fixed", sc_listen_fixed },
	{ "listen_port0", sc_listen_port0 },
	{ "listen_in_use", sc_listen_in_use },
	{ "listen_null", sc_listen_null },
	{ "listen_65536", sc_listen_65536 },
	{ "listen_int_min", sc_listen_int_min },
	{ "listen_emfile", sc_listen_emfile },
	{ "listen_sigaction_fault", sc_listen_sigaction_fault },
	{ "listen_setsockopt_fault", sc_listen_setsockopt_fault },
	{ "listen_bind_fault", sc_listen_bind_fault },
	{ "listen_listen_fault", sc_listen_listen_fault },
	{ "client_ok", sc_client_ok },
	{ "client_refused", sc_client_refused },
	{ "client_port0", sc_client_port0 },
	{ "client_emfile", sc_client_emfile },
	{ "client_getsockopt_fault", sc_client_getsockopt_fault },
	{ "client_nodelay_fault", sc_client_nodelay_fault },
	{ "client_fcntl_fault", sc_client_fcntl_fault },
	{ "client_unreachable", sc_client_unreachable },
	{ "client_signal_storm", sc_client_signal_storm },
	{ "client_signal_storm_restart", sc_client_signal_storm_restart },
	{ "close_ok", sc_close_ok },
	{ "close_null", sc_close_null },
	{ "close_negative", sc_close_negative },
	{ "close_closed", sc_close_closed },
};
#define NSCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

/* ---- the documented differences (README.md, "Compatibility") ------------ */

/* Decided at compile time: big-endian, and long is 8 bytes. */
#if defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) && defined(__SIZEOF_LONG__)
#define REUSEADDR_AS_LONG_IS_OFF (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ && __SIZEOF_LONG__ == 8)
#else
#error "cannot tell the byte order and the size of long at compile time"
#endif
_Static_assert(sizeof(long) == __SIZEOF_LONG__, "__SIZEOF_LONG__ is sizeof(long)");

struct expected {
	const char *scenario;
	int prop;       /* -1: every property (the outcome itself differs) */
	int row;        /* README compatibility table row */
};

static const struct expected EXPECTED[] = {
	/* 1: bad input is EINVAL before any side effect (the original crashed on
	 * NULL and truncated bad ports with htons, binding port 0). */
	{ "listen_null", -1, 1 },
	{ "listen_65536", -1, 1 },
	{ "listen_int_min", -1, 1 },
	/* 2: port 0 reports the port actually bound. */
	{ "listen_port0", P_SERVADDR, 2 },
	/* 3: no descriptor leaked on a failing tcpCreateClient. */
	{ "client_refused", P_FDS, 3 },
	{ "client_port0", P_FDS, 3 },
	{ "client_nodelay_fault", P_FDS, 3 },
	{ "client_unreachable", P_FDS, 3 },
	{ "client_signal_storm", P_FDS, 3 },
	/* 4: the fcntl failure path crashed the original. */
	{ "client_fcntl_fault", -1, 4 },
	/* 6: no getsockopt(SO_RCVBUF), so its failure cannot fail the call. */
	{ "client_getsockopt_fault", -1, 6 },
	/* 9: tcpCloseSocket(NULL) and negative descriptors. */
	{ "close_null", -1, 9 },
	{ "close_negative", P_ERRNO, 9 },
#if REUSEADDR_AS_LONG_IS_OFF
	/* 10: SO_REUSEADDR is passed as an int. The original passes the value
	 * 1 as an 8-byte long, of which the kernel reads the first 4 bytes: on
	 * a big-endian machine with an 8-byte long (s390x, ppc64, sparc64)
	 * those are 0, the original's option is off and sockctl's is on.
	 * Expected there only: elsewhere both are on, and a difference would
	 * be unexpected. */
	{ "listen_fixed", P_REUSEADDR, 10 },
	{ "listen_port0", P_REUSEADDR, 10 },
#endif
};
#define NEXPECTED (sizeof(EXPECTED) / sizeof(EXPECTED[0]))

static int expected_row(const char *scenario, int prop)
{
	size_t i;

	for (i = 0; i < NEXPECTED; i++)
		if (strcmp(EXPECTED[i].scenario, scenario) == 0 && (EXPECTED[i].prop == -1 || EXPECTED[i].prop == prop))
			return EXPECTED[i].row;
	return 0;
}

/* ---- running ---------------------------------------------------------- */

struct child_args {
	const struct scenario *s;
	const struct impl *im;
	int port;
};

static void child_main(void *arg)
{
	const struct child_args *a = arg;
	struct ctx c;

	memset(&c, 0, sizeof(c));
	memset(&c.servAddr, 0xA5, sizeof(c.servAddr));
	c.im = a->im;
	c.o = shared_obs;
	c.port = a->port;
	a->s->run(&c);
}

/* Runs scenario s with implementation im in a child (run_captured); the
 * observations come back through shared memory, stdout through a pipe. */
static void run_child(const struct scenario *s, const struct impl *im, int port, struct obs *o)
{
	struct child_args args = { s, im, port };
	int status;

	memset(o, 0, sizeof(*o));
	memset(shared_obs, 0, sizeof(*shared_obs));
	run_captured(child_main, &args, child_out, sizeof(child_out), &status);
	*o = *shared_obs;
	if (WIFSIGNALED(status)) {
		int i;
		for (i = 0; i < NPROPS; i++)
			o->value[i][0] = '\0';
		set(o, P_RET, "crash (%s)", signal_name(WTERMSIG(status)));
		return;
	}
	/* stdout as C escapes, fd numbers included (both runs start alike). */
	{
		char *d = o->value[P_STDOUT];
		const char *s2;
		size_t room = sizeof(o->value[P_STDOUT]) - 1;

		for (s2 = child_out; *s2 && room > 2; s2++) {
			if (*s2 == '\n' || *s2 == '\r') {
				*d++ = '\\';
				*d++ = *s2 == '\n' ? 'n' : 'r';
				room -= 2;
			} else {
				*d++ = *s2;
				room--;
			}
		}
		*d = '\0';
	}
}

static int free_port(void)
{
	int port = 0, fd = plain_listener(&port, 15);

	close(fd);
	return port;
}

static int run_matrix(const char *markdown, int broken, int shown)
{
	static struct obs oc, ors;
	FILE *md = markdown ? fopen(markdown, "w") : NULL;
	int documented = 0, same = 0;
	char note[64];
	size_t si;
	int pi;

	printf("%-24s", "scenario");
	for (pi = 0; pi < NPROPS; pi++)
		printf(" %-10.10s", prop_names[pi]);
	printf("\n");
	if (md) {
		fprintf(md, "| scenario |");
		for (pi = 0; pi < NPROPS; pi++)
			fprintf(md, " %s |", prop_names[pi]);
		fprintf(md, "\n|---|");
		for (pi = 0; pi < NPROPS; pi++)
			fprintf(md, "---|");
		fprintf(md, "\n");
	}
	for (si = 0; si < NSCENARIOS; si++) {
		const struct scenario *s = &scenarios[si];
		int port = free_port();

		run_child(s, &IMPL_C, port, &oc);
		run_child(s, &IMPL_RS, port, &ors);
		if (broken >= 0 && !ors.skipped)
			strcat(ors.value[broken], "#broken");
		printf("%-24s", s->name);
		if (md)
			fprintf(md, "| %s |", s->name);
		if (oc.skipped || ors.skipped) {
			printf(" ");
			t_skip(s->name, "%s", oc.skipped ? oc.why : ors.why);
			if (md)
				fprintf(md, " skipped: %s |\n", oc.skipped ? oc.why : ors.why);
			continue;
		}
		for (pi = 0; pi < NPROPS; pi++) {
			const char *cell;
			char buf[16], name[64];
			int ok = 1;

			if (strcmp(oc.value[pi], ors.value[pi]) == 0) {
				cell = oc.value[pi][0] ? "same" : "-";
				same++;
			} else if (expected_row(s->name, pi)) {
				snprintf(buf, sizeof(buf), "doc #%d", expected_row(s->name, pi));
				cell = buf;
				documented++;
			} else {
				cell = "UNEXPECTED";
				ok = 0;
			}
			snprintf(name, sizeof(name), "%s.%s", s->name, prop_names[pi]);
			t_check(ok, name, "UNEXPECTED difference:\n  c : %s\n  rs: %s", oc.value[pi], ors.value[pi]);
			printf(" %-10s", cell);
			if (md)
				fprintf(md, " %s |", cell);
		}
		printf("\n");
		if (md)
			fprintf(md, "\n");
		if (shown >= 0) /* --show PROPERTY: its values, the original's and sockctl's */
			printf("    %s: c: %s | rs: %s\n", prop_names[shown], oc.value[shown], ors.value[shown]);
	}
	if (md)
		fclose(md);
	snprintf(note, sizeof(note), "%d same, %d documented differences", same, documented);
	return t_summary("test_diff", note);
}

int main(int argc, char **argv)
{
	const char *markdown = NULL;
	int broken = -1, shown = -1, i;

	shared_obs = mmap(NULL, sizeof(*shared_obs), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared_obs == MAP_FAILED)
		return 2;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--list") == 0) {
			size_t si;
			for (si = 0; si < NSCENARIOS; si++)
				printf("%s\n", scenarios[si].name);
			return 0;
		} else if (strcmp(argv[i], "--markdown") == 0 && i + 1 < argc) {
			markdown = argv[++i];
		} else if ((strcmp(argv[i], "--break") == 0 || strcmp(argv[i], "--show") == 0) && i + 1 < argc) {
			int pi, *which = argv[i][2] == 'b' ? &broken : &shown;
			for (pi = 0; pi < NPROPS; pi++)
				if (strcmp(prop_names[pi], argv[i + 1]) == 0)
					*which = pi;
			i++;
		} else if (strcmp(argv[i], "--run") == 0 && i + 2 < argc) {
			size_t si;
			struct ctx c;

			memset(&c, 0, sizeof(c));
			memset(&c.servAddr, 0xA5, sizeof(c.servAddr));
			c.im = strcmp(argv[i + 2], "c") == 0 ? &IMPL_C : &IMPL_RS;
			c.o = shared_obs;
			c.port = free_port();
			for (si = 0; si < NSCENARIOS; si++)
				if (strcmp(scenarios[si].name, argv[i + 1]) == 0) {
					scenarios[si].run(&c);
					return 0;
				}
			fprintf(stderr, "no scenario %s\n", argv[i + 1]);
			return 2;
		} else {
			fprintf(stderr, "usage: %s [--markdown FILE] [--break PROPERTY] [--show PROPERTY] | --run SCENARIO c|rs | --list\n",
				argv[0]);
			return 2;
		}
	}
	return run_matrix(markdown, broken, shown);
}
