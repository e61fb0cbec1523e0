/*
 * testsuite/lib/sctest.h - the checks of the run tests, written once.
 * Include as "../lib/sctest.h" from a test folder.  A failed check names
 * the file, line and condition on stderr.
 *   CHECK(c)        fails the test at once: exit status 1
 *   EXPECT(c, n)    counts a failure in the int @n and goes on
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

#endif /* SCTEST_H */
