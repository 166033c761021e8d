/* The client's socket helpers: declared here, defined in ClientSocketCtl.c. */
#ifndef CLIENT_SOCKET_CTL_H
#define CLIENT_SOCKET_CTL_H

#define INVALID_SOCKET (-1)

int tcpCreateClient(int ip, unsigned short port);
void tcpCloseSocket(int *socketFd);

#endif
