/*
 * The legacy helpers' own lines, for tools/c-codegen.sh: compiled with the
 * C compiler and flags sockctl is built with, once per PROBE, they show
 * what that compiler makes of them (which C functions it calls, through
 * the PLT or not). PROBE=0 is only preprocessed: what the flags predefine.
 */
#include <stdio.h>
#include <string.h>

#if PROBE == 1 /* a constant text ending in a newline */
void probe(void);
void probe(void)
{
	printf("fail : can't open stream socket\n");
}
#elif PROBE == 2 /* a constant text without one */
void probe(void);
void probe(void)
{
	printf("fail socket option apply. option name is SO_REUSEADDR.");
}
#elif PROBE == 3 /* a format with conversions */
void probe(int errsv);
void probe(int errsv)
{
	printf("fail to bind local address(%s)\n", strerror(errsv));
}
#else
#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if defined(__SSP_ALL__)
sockctl_stack_protector all
#elif defined(__SSP_STRONG__)
sockctl_stack_protector strong
#elif defined(__SSP__)
sockctl_stack_protector basic
#endif
#if defined(__USE_FORTIFY_LEVEL)
sockctl_fortify __USE_FORTIFY_LEVEL
#endif
#if __has_feature(memory_sanitizer)
sockctl_sanitizer memory
#endif
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
sockctl_sanitizer address
#endif
#if defined(__SANITIZE_THREAD__) || __has_feature(thread_sanitizer)
sockctl_sanitizer thread
#endif
#endif
