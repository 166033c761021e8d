/*
 * Legacy types and the legacy helper declarations, as the gateway's own
 * sources have them (c_tests/legacy/: Server.c, ClientSocketCtl.h), with
 * listenSocket's made non-static. The C tests include this together with
 * sockctl.h, so every build of them proves that the generated prototypes
 * agree with the legacy ones.
 */
#ifndef LEGACY_TYPES_H
#define LEGACY_TYPES_H

#include <netinet/in.h>

typedef int SockType_t;
typedef signed long BaseType_t;
#define INVALID_SOCKET (-1)

int listenSocket(int portNum, struct sockaddr_in *servAddr);
int tcpCreateClient(int ip, unsigned short port);
void tcpCloseSocket(int *socketFd);

#endif
