/*
 * A host program: the C program that links sockctl, whose own maths and
 * arithmetic must not change by linking it. Built twice by the Makefile,
 * as the README says a program links sockctl (`cc prog.c libsockctl.a -lm`)
 * and with the C original of the helpers (c_tests/reference/reference.c)
 * in its place, both with -ftrapv; c_tests/packaging/check_host.sh runs each
 * case in both and compares what they print and how they exit.
 *
 *   host_program maths     libm (errno included), 128-bit integers,
 *                          __float128 and long double where the target has them
 *   host_program trapv N   INT_MAX + N and INT_MAX * N under -ftrapv
 *   host_program div N     1000 / N and 1000 % N in int
 *   host_program div64 N   the same in long long
 *
 * The operands come from the command line (or volatile objects), so that
 * the compiler calls the routines at run time instead of folding them. It
 * calls tcpCloseSocket, so the sockctl object is linked, as in a real
 * program: the archive is searched before -lm and libgcc either way.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockctl.h"

static volatile double v_neg = -1.0, v_a = 7.5, v_zero = 0.0, v_b = 2.0, v_c = 27.0, v_x = 0.1, v_y = 3.0;

/* The value, then errno as the call left it (cleared before). */
#define SHOW(name, expr)                                                  \
	do {                                                                  \
		double r_;                                                        \
		errno = 0;                                                        \
		r_ = (expr);                                                      \
		printf("%-22s %a errno %d\n", name, r_, errno);                   \
	} while (0)

static void maths(void)
{
	SHOW("sqrt(-1)", sqrt(v_neg));
	SHOW("sqrt(2)", sqrt(v_b));
	SHOW("fmod(7.5, 0)", fmod(v_a, v_zero));
	SHOW("fmod(7.5, 2)", fmod(v_a, v_b));
	SHOW("cbrt(27)", cbrt(v_c));
	SHOW("fma(0.1, 3, 0.1)", fma(v_x, v_y, v_x));
	SHOW("round(7.5)", round(v_a));
	SHOW("fmin(7.5, 2)", fmin(v_a, v_b));
	SHOW("fmax(7.5, 2)", fmax(v_a, v_b));
	SHOW("log(-1)", log(v_neg));
	SHOW("pow(0, -1)", pow(v_zero, v_neg));
#ifdef __SIZEOF_INT128__
	{
		volatile __int128 n = -((__int128)1 << 100) - 12345, d = 1000003;
		volatile unsigned __int128 un = ((unsigned __int128)1 << 127) + 99, ud = 77777;
		__int128 q = n / d, m = n % d;
		unsigned __int128 uq = un / ud, um = un % ud;
		printf("int128 q %016llx%016llx r %lld\n", (unsigned long long)((unsigned __int128)q >> 64),
		       (unsigned long long)q, (long long)m);
		printf("uint128 q %016llx%016llx r %llu\n", (unsigned long long)(uq >> 64), (unsigned long long)uq,
		       (unsigned long long)um);
	}
#else
	printf("int128: not on this target\n");
#endif
#if defined(__SIZEOF_FLOAT128__) && (defined(__x86_64__) || defined(__i386__))
	{
		volatile __float128 a = 7.5, b = 3.0;
		printf("float128 %a %a %a\n", (double)(a / b), (double)(a * b), (double)(a - b * b));
	}
#else
	printf("float128: not on this target\n");
#endif
	{
		volatile long double a = 7.5L, b = 3.0L;
		printf("long double (%d bytes) %a %a %a %d\n", (int)sizeof(long double), (double)(a / b),
		       (double)(a * b + a), (double)(a - b), (int)(a > b));
	}
}

int main(int argc, char **argv)
{
	int unused = -1;
	tcpCloseSocket(&unused);
	setvbuf(stdout, NULL, _IONBF, 0); /* what was printed survives a signal */
	if (argc == 2 && strcmp(argv[1], "maths") == 0) {
		maths();
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "trapv") == 0) {
		volatile int a = INT_MAX, n = atoi(argv[2]);
		printf("INT_MAX + %d = %d\n", n, a + n);
		printf("INT_MAX * %d = %d\n", n, a * n);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "div") == 0) {
		volatile int a = 1000, n = atoi(argv[2]);
		printf("1000 / %d = %d\n", n, a / n);
		printf("1000 %% %d = %d\n", n, a % n);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "div64") == 0) {
		volatile long long a = 1000000000000LL, n = atoll(argv[2]);
		volatile unsigned long long ua = 1000000000000ULL, un = strtoull(argv[2], NULL, 10);
		printf("1e12 / %lld = %lld\n", n, a / n);
		printf("1e12 %% %lld = %lld\n", n, a % n);
		printf("1e12u / %llu = %llu\n", un, ua / un);
		return 0;
	}
	fprintf(stderr, "usage: %s maths | trapv N | div N | div64 N\n", argv[0]);
	return 2;
}
