/* See faults.h. Only the calls the helpers make are wrapped. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "faults.h"

static int armed_call = F_NONE;
static int armed_errno;
static int logging;
static pthread_t logging_thread;
static char log_buf[1024];
static size_t log_len;
int close_clobbers_errno;

void fault_arm(enum fault_call call, int err)
{
	armed_call = call;
	armed_errno = err;
}

void call_log_reset(void)
{
	log_len = 0;
	log_buf[0] = '\0';
	logging_thread = pthread_self();
	logging = 1;
}

const char *call_log(void)
{
	logging = 0;
	return log_buf;
}

/* Consecutive calls of one function are logged once ("poll" for a poll
 * loop), so a sequence reads the same however often a signal interrupts. */
static void log_call(const char *name)
{
	static const char *last;
	size_t n = strlen(name);

	if (!logging || !pthread_equal(pthread_self(), logging_thread) || (log_len > 0 && last == name) || log_len + n + 2 > sizeof(log_buf))
		return;
	last = name;
	if (log_len > 0)
		log_buf[log_len++] = ' ';
	memcpy(log_buf + log_len, name, n + 1);
	log_len += n;
}

/* Logs the call; returns 1 (with errno set) when it must fail now. */
static int injected(enum fault_call call, const char *name)
{
	log_call(name);
	if (armed_call != (int)call)
		return 0;
	armed_call = F_NONE;
	errno = armed_errno;
	return 1;
}

#if defined(__GLIBC__) || defined(__APPLE__) || defined(__FreeBSD__)
/* The C library's own definition, found with dlsym(RTLD_NEXT) (glibc, and
 * macOS's and FreeBSD's, whose C libraries are always shared). */
static void *real(const char *name)
{
	void *fn = dlsym(RTLD_NEXT, name);

	if (fn == NULL) {
		fprintf(stderr, "faults: no next definition of %s\n", name);
		abort();
	}
	return fn;
}

#define REAL(ret, name, params) ((ret(*) params)real(#name))
#else
/* Other C libraries (musl): a static program has no dynamic linker, so
 * dlsym(RTLD_NEXT) finds nothing. The wrappers then make the system call
 * themselves, as the C library would (sigaction: musl's internal
 * __sigaction, which the public name is a weak alias of). */
#include <sys/syscall.h>
int __sigaction(int sig, const struct sigaction *act, struct sigaction *old);
#define REAL(ret, name, params) real_##name
static int real_sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	return __sigaction(sig, act, old);
}
static int real_socket(int domain, int type, int protocol)
{
	return (int)syscall(SYS_socket, domain, type, protocol);
}
static int real_setsockopt(int fd, int level, int name, const void *value, socklen_t len)
{
	return (int)syscall(SYS_setsockopt, fd, level, name, value, len);
}
static int real_getsockopt(int fd, int level, int name, void *value, socklen_t *len)
{
	return (int)syscall(SYS_getsockopt, fd, level, name, value, len);
}
static int real_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return (int)syscall(SYS_bind, fd, addr, len);
}
static int real_getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	return (int)syscall(SYS_getsockname, fd, addr, len);
}
static int real_listen(int fd, int backlog)
{
	return (int)syscall(SYS_listen, fd, backlog);
}
static int real_connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	return (int)syscall(SYS_connect, fd, addr, len);
}
static int real_poll(struct pollfd *fds, nfds_t n, int timeout)
{
#ifdef SYS_poll
	return (int)syscall(SYS_poll, fds, n, timeout);
#else
	struct timespec ts = { timeout / 1000, (long)(timeout % 1000) * 1000000L };
	return (int)syscall(SYS_ppoll, fds, n, timeout < 0 ? NULL : &ts, NULL, (size_t)8);
#endif
}
static int real_fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return (int)syscall(SYS_fcntl, fd, cmd, arg);
}
static int real_close(int fd)
{
	return (int)syscall(SYS_close, fd);
}
#endif

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	if (act != NULL && injected(F_SIGACTION, "sigaction"))
		return -1;
	return REAL(int, sigaction, (int, const struct sigaction *, struct sigaction *))(sig, act, old);
}

int socket(int domain, int type, int protocol)
{
	if (injected(F_SOCKET, "socket"))
		return -1;
	return REAL(int, socket, (int, int, int))(domain, type, protocol);
}

int setsockopt(int fd, int level, int name, const void *value, socklen_t len)
{
	if (injected(F_SETSOCKOPT, "setsockopt"))
		return -1;
	return REAL(int, setsockopt, (int, int, int, const void *, socklen_t))(fd, level, name, value, len);
}

int getsockopt(int fd, int level, int name, void *value, socklen_t *len)
{
	if (injected(F_GETSOCKOPT, "getsockopt"))
		return -1;
	return REAL(int, getsockopt, (int, int, int, void *, socklen_t *))(fd, level, name, value, len);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	if (injected(F_BIND, "bind"))
		return -1;
	return REAL(int, bind, (int, const struct sockaddr *, socklen_t))(fd, addr, len);
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	if (injected(F_GETSOCKNAME, "getsockname"))
		return -1;
	return REAL(int, getsockname, (int, struct sockaddr *, socklen_t *))(fd, addr, len);
}

int listen(int fd, int backlog)
{
	if (injected(F_LISTEN, "listen"))
		return -1;
	return REAL(int, listen, (int, int))(fd, backlog);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	if (injected(F_CONNECT, "connect"))
		return -1;
	return REAL(int, connect, (int, const struct sockaddr *, socklen_t))(fd, addr, len);
}

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	if (injected(F_POLL, "poll"))
		return -1;
	return REAL(int, poll, (struct pollfd *, nfds_t, int))(fds, n, timeout);
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long); /* every command the tests use takes an int or none */
	va_end(ap);
	if (injected(F_FCNTL, "fcntl"))
		return -1;
	return REAL(int, fcntl, (int, int, ...))(fd, cmd, arg);
}

int close(int fd)
{
	int ret;

	if (injected(F_CLOSE, "close"))
		return -1;
	ret = REAL(int, close, (int))(fd);
	if (ret == 0 && close_clobbers_errno)
		errno = EIO;
	return ret;
}
