/* The gateway client: a host thread (socket) and a logger thread (messages).
 * Added for the migration test: -p PORT, -n COUNT (exit 0 after the reply
 * to message COUNT; default 0, for ever), -i MS (interval, default 5000). */
#include "Incl.h"

unsigned short serverPort = 8890;
long messageCount = 0;
long intervalMs = 5000;

int main(int argc, char **argv)
{
	pthread_t hostThread, loggerThread;
	int opt;

	while ((opt = getopt(argc, argv, "p:n:i:")) != -1) {
		switch (opt) {
		case 'p': serverPort = (unsigned short)atoi(optarg); break;
		case 'n': messageCount = atol(optarg); break;
		case 'i': intervalMs = atol(optarg); break;
		default: return EXIT_FAILURE;
		}
	}

	printf("Async Non Blocking Socket Proccess\r\n");
	pthread_create(&hostThread, NULL, hostRxTxQueProcRunnerable, NULL);
	pthread_create(&loggerThread, NULL, loggerRunnerable, NULL);
	pthread_join(hostThread, NULL);
	pthread_join(loggerThread, NULL);
	fflush(stdout);
	return EXIT_SUCCESS;
}
