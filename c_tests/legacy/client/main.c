/* The gateway client: a host thread (socket) and a logger thread (messages).
 * Added for tests, none of which changes stdout but -s:
 *   -p PORT   server port (default 8890, the original's)
 *   -n COUNT  send COUNT messages, exit 0 after the reply to the last one
 *             (default 0: for ever, as the original)
 *   -i MS     interval between messages in milliseconds (default 5000)
 *   -s        number the messages ("hello World 1", ...) for soak tests */
#include "Incl.h"

unsigned short serverPort = 8890;
long messageCount = 0;
long intervalMs = 5000;
int numbered = 0;

int main(int argc, char **argv)
{
	pthread_t hostThread, loggerThread;
	int opt;

	while ((opt = getopt(argc, argv, "p:n:i:s")) != -1) {
		switch (opt) {
		case 'p': serverPort = (unsigned short)atoi(optarg); break;
		case 'n': messageCount = atol(optarg); break;
		case 'i': intervalMs = atol(optarg); break;
		case 's': numbered = 1; break;
		default:
			fprintf(stderr, "usage: %s [-p port] [-n count] [-i interval_ms] [-s]\n", argv[0]);
			return EXIT_FAILURE;
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
