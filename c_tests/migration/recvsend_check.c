/*
 * hostRecv and hostSend through RecvSend.h's prototypes, on a socket pair:
 * linked once with the tree's RecvSend.c and once with the team's Rust
 * archive, it must print the same bytes (test_migration.sh compares them).
 * Covers: nothing to read (-1, EAGAIN), a message, the peer gone (0), and
 * a send to a gone peer: EPIPE without SIGPIPE (MSG_NOSIGNAL), with the
 * [ERR] line and its strerror text.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "RecvSend.h"

int main(void)
{
	char buf[RECV_BUFF_SIZE + 1];
	int sv[2];
	ssize_t n;
	int err;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
		perror("socketpair");
		return 2;
	}
	errno = 0;
	n = hostRecv(sv[0], buf, RECV_BUFF_SIZE);
	err = errno;
	printf("nothing to read: %zd, %s\n", n, err == EAGAIN ? "EAGAIN" : strerror(err));
	n = hostSend(sv[1], "hello World");
	printf("sent: %zd\n", n);
	n = hostRecv(sv[0], buf, RECV_BUFF_SIZE);
	buf[n > 0 ? n : 0] = '\0';
	printf("received: %zd [%s]\n", n, buf);
	close(sv[1]);
	n = hostRecv(sv[0], buf, RECV_BUFF_SIZE);
	printf("peer gone: %zd\n", n);
	n = hostSend(sv[0], "hello World");
	err = errno;
	printf("send to a gone peer: %zd, errno %d\n", n, err);
	n = hostSend(-1, "hello World");
	printf("send on -1: %zd\n", n);
	return 0;
}
