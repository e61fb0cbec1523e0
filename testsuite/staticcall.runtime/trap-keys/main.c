/* trap-keys/main.c: threads call the sites of 2 or 3 keys that lib.c got
   from `staticcall-tool gen` (unaligned: the trap protocol) while main
   changes one key after the other, and (batch) several in one plan.  A
   thread that takes its trap late, after the plan that wrote int3 there
   has ended and the next key's plan has begun, must still be handled:
   every call must give the old or the new target's value, none die of
   SIGTRAP.
   restart: pair with no call emulated (arch/x86_64/trap.c: what a
   thread with a shadow stack gets): a trapping thread runs the site again
   until the protocol is done with it.
   many: 2 threads call the 640 sites of fd (many.h) while main changes
   fd back and forth: more sites to trap than one batch of the protocol
   holds (SC_TRAP_BATCH), so each update writes several batches, each
   with its three rounds of core synchronisation; it prints the rounds
   per update (trap-keys.exp checks them against the batches needed).
   Usage: main pair|batch|restart|many [SECONDS]   (STATICCALL_STRESS_SECONDS too) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <staticcall.h>
#include <staticcall/host.h>

long fa(long), fa2(long), fb(long), fb2(long), fc(long), fc2(long);

#define DECL(n) long u##n(long), v##n(long), t##n(long);
DECL(0) DECL(1) DECL(2) DECL(3) DECL(4) DECL(5) DECL(6) DECL(7)

static long (*const us[8])(long) = { u0, u1, u2, u3, u4, u5, u6, u7 };
static long (*const vs[8])(long) = { v0, v1, v2, v3, v4, v5, v6, v7 };
static long (*const ts[8])(long) = { t0, t1, t2, t3, t4, t5, t6, t7 };

long fd(long), fd2(long);
#include "many.h"
#define W(p, d) long w##p##d(long);
W640
#undef W
#define W(p, d) w##p##d,
static long (*const ws[MANY])(long) = { W640 };

/* the core's switch: no call or ret emulated (trap.c, hidden) */
extern int sc_bp_restart_only;

static int nkeys;
static volatile int stop;
static unsigned long calls, bad;

/* fa(0) is 1 or 2, fb(0) 10 or 20, fc(0) 100 or 200. */
static int valid_u(long r)
{
	return r == 13 || r == 16 || r == 23 || r == 26;
}

static int valid_v(long r)
{
	return (r >= 100 && valid_u(r - 100)) || (r >= 200 && valid_u(r - 200));
}

static void *worker(void *arg)
{
	unsigned long n = 0, wrong = 0;
	unsigned int i;

	(void)arg;
	while (!stop) {
		for (i = 0; i < 8; i++) {
			long t = ts[i](0);

			if (nkeys == 2 ? !valid_u(us[i](0)) : !valid_v(vs[i](0)))
				wrong++;
			if (t != 10 && t != 20)
				wrong++;
		}
		n++;
	}
	__atomic_add_fetch(&calls, n * 16, __ATOMIC_RELAXED);
	__atomic_add_fetch(&bad, wrong, __ATOMIC_RELAXED);
	return NULL;
}

/* many: every w calls fd (1000) or fd2 (2000). */
static void *worker_many(void *arg)
{
	unsigned long n = 0, wrong = 0;
	unsigned int i;

	(void)arg;
	while (!stop) {
		for (i = 0; i < MANY; i++) {
			long r = ws[i](0);

			if (r != 1000 && r != 2000)
				wrong++;
		}
		n++;
	}
	__atomic_add_fetch(&calls, n * MANY, __ATOMIC_RELAXED);
	__atomic_add_fetch(&bad, wrong, __ATOMIC_RELAXED);
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Key k (fa, fb, fc) to its first (0) or second (1) target. */
static struct staticcall_retarget retarget(int k, int second)
{
	switch (k) {
	case 0:
		return second ? STATICCALL_RETARGET(fa, fa2) : STATICCALL_RETARGET(fa, fa);
	case 1:
		return second ? STATICCALL_RETARGET(fb, fb2) : STATICCALL_RETARGET(fb, fb);
	default:
		return second ? STATICCALL_RETARGET(fc, fc2) : STATICCALL_RETARGET(fc, fc);
	}
}

/* many: fd and fd2 in turn, 2 threads calling; the rounds per update. */
static int many(double seconds)
{
	unsigned long updates = 0, failed = 0, rounds;
	double end;
	pthread_t th[2];
	int i, second = 0;

	for (i = 0; i < 2; i++)
		if (pthread_create(&th[i], NULL, worker_many, NULL))
			return 2;
	/* the first update indexes, registers membarrier: not counted */
	if (staticcall_update(fd, fd2))
		failed++;
	second = 1;
	rounds = staticcall_host_sync_rounds();
	end = now() + seconds;
	while (now() < end) {
		second ^= 1;
		if (second ? staticcall_update(fd, fd2) : staticcall_update(fd, fd))
			failed++;
		updates++;
	}
	rounds = staticcall_host_sync_rounds() - rounds;
	stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	printf("many: 1 key, %d sites, 2 threads, %lu updates, %lu rounds per update, "
	       "%lu calls, %lu failed updates, %lu wrong results\n", MANY,
	       updates, updates ? rounds / updates : 0, calls, failed, bad);
	if (failed || bad || !calls || updates < 10)
		return 1;
	for (i = 0; i < MANY; i++)
		if (ws[i](0) != (second ? 2000 : 1000)) {
			printf("w%d: not the last target\n", i);
			return 1;
		}
	return 0;
}

int main(int argc, char **argv)
{
	const char *env = getenv("STATICCALL_STRESS_SECONDS");
	double seconds = 2, end;
	unsigned long updates = 0, batches = 0, failed = 0;
	int second[3] = { 0, 0, 0 };
	pthread_t th[3];
	int nthreads, i, k, batch;

	if (argc < 2 || (strcmp(argv[1], "pair") && strcmp(argv[1], "batch") &&
			 strcmp(argv[1], "restart") && strcmp(argv[1], "many"))) {
		fprintf(stderr, "usage: %s pair|batch|restart|many [SECONDS]\n", argv[0]);
		return 2;
	}
	sc_bp_restart_only = !strcmp(argv[1], "restart");
	batch = !strcmp(argv[1], "batch");
	nkeys = batch ? 3 : 2;
	nthreads = nkeys;
	if (argc > 2)
		seconds = atof(argv[2]);
	else if (env)
		seconds = atof(env);
	if (!strcmp(argv[1], "many"))
		return many(seconds);
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&th[i], NULL, worker, NULL))
			return 2;
	end = now() + seconds;
	/* pair: fa, fb, fa, fb...; batch: fa, fb, fc, then all three at once */
	for (k = 0; now() < end; k = (k + 1) % (batch ? 4 : 2)) {
		struct staticcall_retarget v[3];
		int j, n = 0;

		for (j = 0; j < nkeys; j++)
			if (j == k || k == 3) {
				second[j] ^= 1;
				v[n++] = retarget(j, second[j]);
			}
		if (n == 1 ? staticcall_update_key(v[0].key, v[0].target, v[0].kind)
			   : staticcall_update_batch(v, (unsigned int)n))
			failed++;
		if (n > 1)
			batches++;
		updates++;
	}
	stop = 1;
	for (i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	printf("%s: %d keys, %d threads, %lu updates (%lu batches), %lu calls, "
	       "%lu failed updates, %lu wrong results\n", argv[1], nkeys,
	       nthreads, updates, batches, calls, failed, bad);
	if (failed || bad || !calls || updates < 10)
		return 1;
	/* at rest every site calls its key's last target */
	for (i = 0; i < 8; i++) {
		long a = second[0] ? 2 : 1, b = second[1] ? 20 : 10;
		long c = second[2] ? 200 : 100;

		if (ts[i](0) != b || (nkeys == 2 ? us[i](0) != a * 3 + b
						 : vs[i](0) != a * 3 + b + c)) {
			printf("caller %d: not the last targets\n", i);
			return 1;
		}
	}
	return 0;
}
