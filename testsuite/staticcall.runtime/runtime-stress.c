/* Four threads call a key's sites in a tight loop while the main thread
   retargets it between two functions 100,000 times (3,000 under an
   emulator), or for 5 s once it has done 1,000 (100 emulated), so that a
   slow or busy machine does less, not fails: every result must come from
   one of the two.  Why: live patching safety.  */
/* { dg-do run } */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <staticcall.h>
#include "../lib/sctest.h"

int pick(int x) __attribute__((static_call));
__attribute__((noipa)) int pick(int x) { return x + 1; }
__attribute__((noipa)) int pick_b(int x) { return x + 2; }

__attribute__((noipa)) static int tail_pick(int x) { return pick(x); }

static volatile int stop;
static unsigned long bad, calls[4];

static void *worker(void *arg)
{
	unsigned long n = 0, *count = arg;

	while (!stop) {
		int r = pick(10), t = tail_pick(20);

		if ((r != 11 && r != 12) || (t != 21 && t != 22))
			__atomic_add_fetch(&bad, 1, __ATOMIC_RELAXED);
		n++;
	}
	*count = n;
	return NULL;
}

int main(void)
{
	pthread_t th[4];
	long iters = 100000, least = 1000, i;
	const char *env = getenv("STATICCALL_STRESS_ITERS");

	if (sctest_emulated()) {	/* each update is slow */
		iters = 3000;
		least = 100;
	}
	if (env)
		iters = atol(env);
	iters = sctest_rounds(iters);
	for (i = 0; i < 4; i++)
		if (pthread_create(&th[i], NULL, worker, &calls[i]))
			return 1;
	sctest_seconds();
	for (i = 0; i < iters; i++) {
		/* an even count ends on the default */
		if (!(i & 1) && sctest_enough(i, least, 5.0))
			break;
		if (staticcall_update(pick, (i & 1) ? pick : pick_b) != 0) {
			printf("update %ld failed\n", i);
			stop = 1;
			return 2;
		}
	}
	iters = i;
	stop = 1;
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	printf("%ld updates, calls %lu %lu %lu %lu, bad %lu\n", iters,
	       calls[0], calls[1], calls[2], calls[3], bad);
	if (bad)
		return 3;
	return pick(0) != 1;
}
