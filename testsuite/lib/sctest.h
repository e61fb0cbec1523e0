/*
 * testsuite/lib/sctest.h - the checks of the run tests, written once.
 * Include as "../lib/sctest.h" from a test folder.  A failed check names
 * the file, line and condition on stderr.
 *   CHECK(c)        fails the test at once: exit status 1
 *   EXPECT(c, n)    counts a failure in the int @n and goes on
 *   sctest_rounds(n)  the rounds of a long loop: n, or at most
 *                   $STATICCALL_TEST_ROUNDS when set (the system lane,
 *                   staticcall.system, where an update with threads
 *                   calling costs milliseconds of emulation)
 */
#ifndef SCTEST_H
#define SCTEST_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: FAIL %s\n", __FILE__, __LINE__, #c); \
		exit(1);						\
	}								\
} while (0)

#define EXPECT(c, n) do {						\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: FAIL %s\n", __FILE__, __LINE__, #c); \
		(n)++;							\
	}								\
} while (0)

__attribute__((unused)) static long sctest_rounds(long n)
{
	const char *cap = getenv("STATICCALL_TEST_ROUNDS");

	if (cap && atol(cap) > 0 && atol(cap) < n)
		return atol(cap);
	return n;
}

#endif /* SCTEST_H */
