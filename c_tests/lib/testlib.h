/* Small helpers shared by the C tests. */
#ifndef SOCKCTL_TESTLIB_H
#define SOCKCTL_TESTLIB_H

#include <pthread.h>
#include <stddef.h>

/* The one pass/fail reporter of the C suites.
 * t_check: counts a passed check, or a failed one with "FAIL [name] <fmt...>"
 *          on stderr;
 * t_skip:  counts a skipped check, with "skipped [name]: <why>" on stdout;
 * t_summary: prints "suite: N passed, N failed, N skipped" (then " (note)"
 *          when note is not NULL) on stdout and returns the exit status:
 *          0, or 1 when a check failed. make test adds these lines up. */
void t_check(int ok, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void t_skip(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int t_summary(const char *suite, const char *note);
int t_failed(void); /* failures so far */
/* Prints "  label (N bytes): "s"" on stderr, with \n and \r written out:
 * how a failing check shows captured and expected output. */
void t_show(const char *label, const char *s);

/* The symbolic name of an errno value ("EADDRINUSE") or of a signal
 * ("SEGV"), from a table of the values the tests meet, for any C library
 * (strerrorname_np and sigabbrev_np are glibc-only); others print as
 * "errno 123" or "signal 12", from a static buffer. */
const char *errno_name(int err);
const char *signal_name(int sig);

/* Open descriptors of this process (the count's own directory excluded). */
int count_fds(void);
/* The descriptor number the next socket() gets. */
int lowest_free_fd(void);
/* Runs fn(arg) in a forked child whose stdout is a pipe; the child's stdout
 * is returned in out (NUL-terminated, cut at size - 1), its wait status in
 * *status. The child exits with exit(0) after fn, flushing stdio. */
void run_captured(void (*fn)(void *), void *arg, char *out, size_t size, int *status);
/* A plain listener on 127.0.0.1:*port (0: any port, then stored in *port);
 * -1 on failure. */
int plain_listener(int *port, int backlog);

/* Fills the accept queue of a listener with backlog 15 on 127.0.0.1:port:
 * 16 established connections, whose descriptors go to fds[0..15]. A further
 * connect then waits for a SYN retransmission until one is accepted. */
void fill_accept_queue(int port, int fds[16]);

/* How many connections to 127.0.0.1:port a listener lets complete before
 * accepting any: non-blocking connects, one after the other, each given
 * wait_ms to complete, until one does not (or max connected). All are
 * closed again; -1 on an unexpected error. Linux completes backlog + 1
 * connections and drops the SYNs after that, so a listener with backlog 15
 * answers 16. A portable way to read the backlog (TCP_INFO is Linux-only
 * and not translated by qemu-user). */
int accept_queue_capacity(int port, int max, int wait_ms);

/* A storm of SIGALRM on the calling thread, every interval_us, its handler
 * installed with SA_RESTART (restart: the kernel resumes an interrupted
 * blocking call) or without (each signal ends one with EINTR); and a
 * helper thread that, after delay_us, accepts one connection from
 * listener (drain) or closes listener (!drain). */
struct storm {
	int listener, drain;
	long delay_us;
	pthread_t helper;
};
void storm_start(struct storm *s, int listener, int drain, int restart, long delay_us, long interval_us);
/* Stops the timer, waits for the helper; returns the signals received. */
int storm_stop(struct storm *s);

#endif
