/* NULL, return-0 and stacked targets retargeted while two threads run the
   sites (call and tail), with a 100 us timer interrupting them anywhere:
   every call sees one of the targets, never a torn or half-run form.  */
/* { dg-do run } */
/* { dg-options "-pthread" } */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <staticcall.h>
#include "../lib/sctest.h"

void hook(int *p) __attribute__((static_call));
__attribute__((noipa)) void hook(int *p) { *p += 1; }
__attribute__((noipa)) static void hook2(int *p) { *p += 2; }
long value(long x) __attribute__((static_call));
__attribute__((noipa)) long value(long x) { return x + 1; }
__attribute__((noipa)) static long value2(long x) { return x + 2; }

__attribute__((noipa)) static long call_value(long x) { return value(x) * 2 + 1; }
__attribute__((noipa)) static long tail_value(long x) { return value(x); }
__attribute__((noipa)) static void call_hook(int *p) { hook(p); *p += 10; }
__attribute__((noipa)) static void tail_hook(int *p) { hook(p); }

static volatile int stop;
static volatile unsigned long bad, calls;

static void *runner(void *arg)
{
	long x = (long)(uintptr_t)arg;

	while (!stop) {
		long c = call_value(x), t = tail_value(x);
		int a = 0, b = 0;

		call_hook(&a);
		tail_hook(&b);
		if ((c != 2 * x + 3 && c != 2 * x + 5 && c != 1) ||
		    (t != x + 1 && t != x + 2 && t != 0) ||
		    a < 10 || a > 12 || b < 0 || b > 2)
			__atomic_add_fetch(&bad, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void tick(int sig)
{
	(void)sig;
}

int main(void)
{
	struct itimerval it = { { 0, 100 }, { 0, 100 } };
	struct sigaction sa = { .sa_handler = tick, .sa_flags = SA_RESTART };
	struct staticcall_patch p1, p2;
	pthread_t th[2];
	int i, rounds = (int)sctest_rounds(3000), err = 0;
	struct timespec t0, t;

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, runner, (void *)(uintptr_t)(i + 5));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* at most 3000 rounds (sctest_rounds) or 2 s after the first 1/60 of
	   them (qemu-user retranslates after each write) */
	for (i = 0; i < rounds && !err; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (i >= rounds / 60 && t.tv_sec - t0.tv_sec >= 2)
			break;
		err |= staticcall_update_ret0(value);
		err |= staticcall_update_null(hook);
		err |= staticcall_update(value, value2);
		err |= staticcall_update(hook, hook2);
		err |= staticcall_push(&p1, value, value);
		err |= staticcall_push(&p2, value, value2);
		err |= staticcall_pop(&p1);	/* value2 still runs */
		err |= staticcall_update_ret0(value);	/* base only */
		err |= staticcall_pop(&p2);	/* the base: return 0 */
		err |= staticcall_reset(value);
		err |= staticcall_reset(hook);
	}
	rounds = i;
	stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	it.it_value.tv_usec = it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	printf("%d rounds, %lu calls, %lu bad, err %d\n", rounds, calls, bad, err);
	return err || bad || !calls || call_value(1) != 5 || tail_value(1) != 2;
}
