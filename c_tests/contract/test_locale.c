/*
 * Messages with strerror text are whole in every locale (issue 10, part 3).
 *
 * The legacy helpers printed strerror(e) through printf, so a translated
 * text of any length came out whole. This test selects, as a host program
 * would, a locale whose texts are long (setlocale(LC_ALL, "") after setting
 * LANG=C.UTF-8 and LANGUAGE=<lang>; gettext honours LANGUAGE when the locale
 * is not C/POSIX), forces a failure whose message carries strerror's text
 * (bind, through the interposed bind of faults.c, for listenSocket; socket
 * for tcpCreateClient), captures what the helper prints and compares it byte
 * for byte with what the C library itself gives in the same locale:
 *
 *   fail to bind local address(<strerror>)\n
 *   Socket Command error[<strerror>-<errno>]\n
 *
 * A case proves something only when the translated text is longer than the
 * 127 bytes a 128-byte buffer holds (with its NUL); shorter ones, and
 * locales whose messages are not installed (strerror gives the C locale's
 * text, as on musl, or on glibc without the translations: Debian's
 * libc-l10n), are skipped with the reason.
 *
 * Only standard and POSIX calls (setenv, unsetenv, setlocale, strerror), so
 * it builds and runs on musl too, where every case is skipped.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "sockctl.h"
#include "faults.h"
#include "testlib.h"

/* What the Rust side formats strerror_r into today; a text of CUT_AT bytes
 * or more does not fit. */
#define CUT_AT 128

struct lcase {
	const char *lang;   /* LANGUAGE */
	const char *locale; /* LANG, when C.UTF-8 is not available */
	int err;
	const char *errname;
};

static const struct lcase CASES[] = {
	{ "uk", "uk_UA.UTF-8", ESHUTDOWN, "ESHUTDOWN" },
#ifdef ELIBACC
	{ "uk", "uk_UA.UTF-8", ELIBACC, "ELIBACC" },
#endif
#ifdef ELIBMAX
	{ "uk", "uk_UA.UTF-8", ELIBMAX, "ELIBMAX" },
#endif
#ifdef ELIBACC
	{ "el", "el_GR.UTF-8", ELIBACC, "ELIBACC" },
#endif
	{ "el", "el_GR.UTF-8", ESHUTDOWN, "ESHUTDOWN" },
	{ "ru", "ru_RU.UTF-8", ESHUTDOWN, "ESHUTDOWN" },
};

/* Every variable that could override LANG for setlocale(LC_ALL, ""). */
static const char *const LC_VARS[] = {
	"LC_ALL", "LC_CTYPE", "LC_NUMERIC", "LC_TIME", "LC_COLLATE", "LC_MONETARY", "LC_MESSAGES",
	"LC_PAPER", "LC_NAME", "LC_ADDRESS", "LC_TELEPHONE", "LC_MEASUREMENT", "LC_IDENTIFICATION",
};

/* The environment a user of that language has, then setlocale(LC_ALL, "").
 * Returns the LANG used, or NULL when no locale could be set. */
static const char *enter_locale(const struct lcase *c)
{
	size_t i;

	for (i = 0; i < sizeof(LC_VARS) / sizeof(LC_VARS[0]); i++)
		unsetenv(LC_VARS[i]);
	setenv("LANGUAGE", c->lang, 1);
	setenv("LANG", "C.UTF-8", 1);
	if (setlocale(LC_ALL, "") != NULL)
		return "C.UTF-8";
	setenv("LANG", c->locale, 1);
	if (setlocale(LC_ALL, "") != NULL)
		return c->locale;
	return NULL;
}

static void leave_locale(void)
{
	unsetenv("LANGUAGE");
	setlocale(LC_ALL, "C");
}

/* ---- the failures, each in a forked child (run_captured) --------------- */

static void bind_fails(void *arg)
{
	struct sockaddr_in a;

	fault_arm(F_BIND, *(const int *)arg);
	listenSocket(0, &a);
}

static void socket_fails(void *arg)
{
	fault_arm(F_SOCKET, *(const int *)arg);
	tcpCreateClient((int)htonl(INADDR_LOOPBACK), 9);
}

static void compare(const char *name, void (*fn)(void *), int err, const char *want)
{
	char got[1024];
	int status = 0;
	size_t i;

	run_captured(fn, &err, got, sizeof(got), &status);
	for (i = 0; got[i] != '\0' && got[i] == want[i]; i++)
		;
	t_check(strcmp(got, want) == 0, name, "message differs from the C library's: %zu bytes instead of %zu, first difference at byte %zu",
		strlen(got), strlen(want), i);
	if (strcmp(got, want) != 0) {
		t_show("got ", got);
		t_show("want", want);
	}
}

int main(void)
{
	size_t k;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (k = 0; k < sizeof(CASES) / sizeof(CASES[0]); k++) {
		const struct lcase *c = &CASES[k];
		char name[64], c_text[512], text[512], want[1024];
		const char *lang;

		snprintf(name, sizeof(name), "%s %s(%d)", c->lang, c->errname, c->err);
		setlocale(LC_ALL, "C");
		snprintf(c_text, sizeof(c_text), "%s", strerror(c->err));

		lang = enter_locale(c);
		if (lang == NULL) {
			t_skip(name, "neither C.UTF-8 nor %s can be set with setlocale(LC_ALL, \"\") (glibc: packages locales or locales-all)",
			       c->locale);
			leave_locale();
			continue;
		}
		snprintf(text, sizeof(text), "%s", strerror(c->err));
		if (strcmp(text, c_text) == 0) {
			t_skip(name, "strerror(%d) with LANG=%s LANGUAGE=%s is the C locale's text: no %s messages installed in this C library (glibc: package libc-l10n; musl has none)",
			       c->err, lang, c->lang, c->lang);
			leave_locale();
			continue;
		}
		if (strlen(text) < CUT_AT) {
			t_skip(name, "the %s text of strerror(%d) is %zu bytes, it fits %d: proves nothing", c->lang, c->err, strlen(text),
			       CUT_AT);
			leave_locale();
			continue;
		}

		/* What the original printed: the C library's text through stdio. */
		snprintf(want, sizeof(want), "fail to bind local address(%s)\n", text);
		snprintf(name, sizeof(name), "listenSocket bind %s %s(%d)", c->lang, c->errname, c->err);
		compare(name, bind_fails, c->err, want);

		snprintf(want, sizeof(want), "Socket Command error[%s-%d]\n", text, c->err);
		snprintf(name, sizeof(name), "tcpCreateClient socket %s %s(%d)", c->lang, c->errname, c->err);
		compare(name, socket_fails, c->err, want);

		leave_locale();
	}
	return t_summary("test_locale", NULL);
}
