/*
 * The generated header beside the legacy declarations, in both orders.
 * check_header.sh compiles this as C89, C99, C11, C++11 and C++17 with
 * -Wall -Wextra -Wpedantic -Werror: any disagreement between a generated
 * prototype and a legacy one (return type, parameter types) is an error.
 */
#ifdef SOCKCTL_ONLY
#include "sockctl.h" /* self-contained: nothing else needed */
#elif defined(LEGACY_FIRST)
#ifdef __cplusplus
extern "C" {
#endif
#include "legacy_types.h"
#ifdef __cplusplus
}
#endif
#include "sockctl.h"
#else
#include "sockctl.h"
#include "legacy_types.h"
#endif

/* Pointers of the legacy types must take the generated functions as they are. */
typedef int (*listen_fn)(int portNum, struct sockaddr_in *servAddr);
typedef int (*client_fn)(int ip, unsigned short port);
typedef void (*close_fn)(int *socketFd);

int main(void)
{
	listen_fn l = listenSocket;
	client_fn c = tcpCreateClient;
	close_fn x = tcpCloseSocket;

	return (l != 0) + (c != 0) + (x != 0) - 3;
}
