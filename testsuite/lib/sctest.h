/*
 * testsuite/lib/sctest.h - the checks of the run tests, written once.
 * Include as "../lib/sctest.h" from a test folder.  A failed check names
 * the file, line and condition on stderr.
 *   CHECK(c)        fails the test at once: exit status 1
 *   EXPECT(c, n)    counts a failure in the int @n and goes on
 * A test that does much work sizes it with sctest_emulated() (the program
 * runs under qemu, user or system: SCTEST_EMULATED is set, about 10 to 50
 * times slower) and bounds its own wall time with sctest_seconds(), then
 * prints what it covered: its pass or fail never depends on the machine's
 * speed, only the amount of work does.  SCTEST_SOAK (scripts/check
 * --full) lifts the time bounds.
 *   sctest_rounds(n)  the rounds of a long loop: n, or at most
 *                   $STATICCALL_TEST_ROUNDS when set (the system lane,
 *                   staticcall.system, where an update with threads
 *                   calling costs milliseconds of emulation)
 */
#ifndef SCTEST_H
#define SCTEST_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

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

/* Non-zero when the program runs under an emulator (set by the testsuite's
   site.exp for qemu-user and by the system lane's init).  */
static inline int
sctest_emulated(void)
{
	const char *e = getenv("SCTEST_EMULATED");

	return e && *e && *e != '0';
}

/* Seconds on the monotonic clock since the first call.  */
static inline double
sctest_seconds(void)
{
	static struct timespec t0;
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	if (!t0.tv_sec && !t0.tv_nsec)
		t0 = t;
	return (double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9;
}

/* Non-zero for a soak run (SCTEST_SOAK set: scripts/check --full): loops
   do all their rounds, whatever the time.  */
static inline int
sctest_soak(void)
{
	const char *e = getenv("SCTEST_SOAK");

	return e && *e && *e != '0';
}

/* A loop of up to N rounds that also ends after SECONDS of wall time once
   it has done at least MIN rounds, unless this is a soak run
   (sctest_seconds counts from its first call: call it before the loop).
   Use the rounds done in the result line and in the checks, never N.  */
static inline int
sctest_enough(long done, long min, double seconds)
{
	return done >= min && !sctest_soak() && sctest_seconds() > seconds;
}

__attribute__((unused)) static long sctest_rounds(long n)
{
	const char *cap = getenv("STATICCALL_TEST_ROUNDS");

	if (cap && atol(cap) > 0 && atol(cap) < n)
		return atol(cap);
	return n;
}

#endif /* SCTEST_H */
