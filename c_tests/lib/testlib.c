#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "testlib.h"

static int t_pass, t_fail, t_skipped;

void t_check(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		t_pass++;
		return;
	}
	t_fail++;
	fprintf(stderr, "FAIL [%s] ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void t_skip(const char *name, const char *fmt, ...)
{
	va_list ap;

	t_skipped++;
	printf("skipped [%s]: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

int t_failed(void)
{
	return t_fail;
}

void t_show(const char *label, const char *s)
{
	fprintf(stderr, "  %s (%zu bytes): \"", label, strlen(s));
	for (; *s; s++) {
		if (*s == '\n')
			fputs("\\n", stderr);
		else if (*s == '\r')
			fputs("\\r", stderr);
		else
			fputc(*s, stderr);
	}
	fputs("\"\n", stderr);
}

int t_summary(const char *suite, const char *note)
{
	printf("%s: %d passed, %d failed, %d skipped", suite, t_pass, t_fail, t_skipped);
	if (note != NULL)
		printf(" (%s)", note);
	putchar('\n');
	fflush(stdout);
	return t_fail == 0 ? 0 : 1;
}

#define NAME(x) { x, #x }
static const struct { int value; const char *name; } errno_names[] = {
	NAME(EPERM), NAME(ENOENT), NAME(EINTR), NAME(EIO), NAME(EBADF), NAME(EAGAIN), NAME(ENOMEM),
	NAME(EACCES), NAME(EFAULT), NAME(EBUSY), NAME(EINVAL), NAME(ENFILE), NAME(EMFILE), NAME(EPIPE),
	NAME(ENOSYS), NAME(ENOTSOCK), NAME(EDESTADDRREQ), NAME(EPROTOTYPE), NAME(ENOPROTOOPT),
	NAME(EPROTONOSUPPORT), NAME(EOPNOTSUPP), NAME(EAFNOSUPPORT), NAME(EADDRINUSE), NAME(EADDRNOTAVAIL),
	NAME(ENETDOWN), NAME(ENETUNREACH), NAME(ECONNABORTED), NAME(ECONNRESET), NAME(ENOBUFS),
	NAME(EISCONN), NAME(ENOTCONN), NAME(ETIMEDOUT), NAME(ECONNREFUSED), NAME(EHOSTUNREACH),
	NAME(EALREADY), NAME(EINPROGRESS),
};
static const struct { int value; const char *name; } signal_names[] = {
	{ SIGHUP, "HUP" }, { SIGINT, "INT" }, { SIGQUIT, "QUIT" }, { SIGILL, "ILL" }, { SIGTRAP, "TRAP" },
	{ SIGABRT, "ABRT" }, { SIGBUS, "BUS" }, { SIGFPE, "FPE" }, { SIGKILL, "KILL" }, { SIGSEGV, "SEGV" },
	{ SIGPIPE, "PIPE" }, { SIGALRM, "ALRM" }, { SIGTERM, "TERM" }, { SIGSYS, "SYS" },
};
#undef NAME

const char *errno_name(int err)
{
	static char buf[32];
	size_t i;

	for (i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++)
		if (errno_names[i].value == err)
			return errno_names[i].name;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

const char *signal_name(int sig)
{
	static char buf[32];
	size_t i;

	for (i = 0; i < sizeof(signal_names) / sizeof(signal_names[0]); i++)
		if (signal_names[i].value == sig)
			return signal_names[i].name;
	snprintf(buf, sizeof(buf), "signal %d", sig);
	return buf;
}

int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;
}

int lowest_free_fd(void)
{
	int fd = dup(0);

	close(fd);
	return fd;
}

void run_captured(void (*fn)(void *), void *arg, char *out, size_t size, int *status)
{
	int p[2];
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	fflush(NULL);
	if (pipe(p) != 0)
		abort();
	pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		struct sigaction dfl;

		close(p[0]);
		dup2(p[1], STDOUT_FILENO);
		close(p[1]);
		memset(&dfl, 0, sizeof(dfl));
		dfl.sa_handler = SIG_DFL;
		sigaction(SIGPIPE, &dfl, NULL);
		fn(arg);
		exit(0);
	}
	close(p[1]);
	while ((n = read(p[0], out + len, size - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	/* Drain what did not fit, so the child never blocks on a full pipe. */
	if (len == size - 1) {
		char sink[4096];
		while (read(p[0], sink, sizeof(sink)) > 0)
			;
	}
	close(p[0]);
	waitpid(pid, status, 0);
}

int plain_listener(int *port, int backlog)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)*port);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, backlog) != 0) {
		close(fd);
		return -1;
	}
	getsockname(fd, (struct sockaddr *)&a, &len);
	*port = ntohs(a.sin_port);
	return fd;
}

void fill_accept_queue(int port, int fds[16])
{
	struct sockaddr_in a;
	int i;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)port);
	for (i = 0; i < 16; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		connect(fds[i], (struct sockaddr *)&a, sizeof(a));
	}
}

int accept_queue_capacity(int port, int max, int wait_ms)
{
	struct sockaddr_in a;
	int fds[64], n = 0, done = 0, i;

	if (max > 64)
		max = 64;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)port);
	while (n < max) {
		struct pollfd p;
		int e = 0;
		socklen_t len = sizeof(e);

		fds[n] = socket(AF_INET, SOCK_STREAM, 0);
		if (fds[n] < 0 || fcntl(fds[n], F_SETFL, O_NONBLOCK) != 0) {
			n += fds[n] >= 0;
			done = -1;
			break;
		}
		n++;
		if (connect(fds[n - 1], (struct sockaddr *)&a, sizeof(a)) != 0 && errno != EINPROGRESS) {
			done = -1;
			break;
		}
		p.fd = fds[n - 1];
		p.events = POLLOUT;
		p.revents = 0;
		if (poll(&p, 1, wait_ms) != 1)
			break; /* still waiting for a SYN-ACK: the queue is full */
		if (getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &e, &len) != 0 || e != 0) {
			done = -1;
			break;
		}
		done++;
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
	return done;
}

static volatile sig_atomic_t storm_signals;

static void on_storm_signal(int sig)
{
	(void)sig;
	storm_signals++;
}

static void *storm_helper(void *arg)
{
	struct storm *s = arg;

	usleep((useconds_t)s->delay_us);
	if (s->drain)
		close(accept(s->listener, NULL, NULL));
	else
		close(s->listener);
	return NULL;
}

void storm_start(struct storm *s, int listener, int drain, int restart, long delay_us, long interval_us)
{
	struct itimerval every = { { 0, interval_us }, { 0, interval_us } };
	struct sigaction sa;
	sigset_t block, old;

	s->listener = listener;
	s->drain = drain;
	s->delay_us = delay_us;
	/* The helper is created with SIGALRM blocked, so only the caller gets the storm. */
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	pthread_create(&s->helper, NULL, storm_helper, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_storm_signal;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGALRM, &sa, NULL);
	storm_signals = 0;
	setitimer(ITIMER_REAL, &every, NULL);
}

int storm_stop(struct storm *s)
{
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	int n;

	setitimer(ITIMER_REAL, &off, NULL);
	n = storm_signals;
	pthread_join(s->helper, NULL);
	return n;
}
