/*
 * Fault injection and call logging for the C tests, by interposition: the
 * test program defines socket(), bind(), ... itself, so the library's calls
 * (static or shared) land here first, then go on to the C library's.
 *
 *   fault_arm(F_BIND, EACCES)  the next bind() fails with EACCES (one shot)
 *   close_clobbers_errno = 1   close() succeeds but leaves errno = EIO,
 *                              as a close that clobbers errno would
 *   call_log()                 the names of the calls made since
 *                              call_log_reset() in the thread that
 *                              called it, space-separated;
 *                              a run of one function is logged once
 */
#ifndef SOCKCTL_TEST_FAULTS_H
#define SOCKCTL_TEST_FAULTS_H

enum fault_call {
	F_NONE,
	F_SIGACTION,
	F_SOCKET,
	F_SETSOCKOPT,
	F_GETSOCKOPT,
	F_BIND,
	F_GETSOCKNAME,
	F_LISTEN,
	F_CONNECT,
	F_POLL,
	F_FCNTL,
	F_CLOSE
};

void fault_arm(enum fault_call call, int err);
void call_log_reset(void);
const char *call_log(void);
extern int close_clobbers_errno;

#endif
