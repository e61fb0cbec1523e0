/*
 * bench/bench.c - staticcall-bench: what a patched site costs, and what an
 * update and a registration cost.
 *
 *   per-call cost   a plugin site retargeted to bench_target, against a
 *                   direct call, an indirect call through a pointer, a
 *                   retpoline indirect call (bench/retpoline.c, built with
 *                   -mindirect-branch=thunk, x86-64 only) and an
 *                   out-of-line trampoline (call tramp; tramp: jmp target);
 *                   median of 11 runs of 10^6 calls, in TSC ticks (x86-64)
 *                   or nanoseconds elsewhere.
 *   update latency  one key with 1, 100, 10,000, 100,000 sites in a
 *                   synthetic object (code page + abi.h tables in one
 *                   mapping, registered with staticcall_object_add),
 *                   median of 21 updates.
 *   registration    100,000 sites: one key (already sorted) and 1,000 keys
 *                   in random order (the in-place sort at work).
 *
 * Usage: staticcall-bench              print the table
 *        staticcall-bench VARIANT N    only run VARIANT's loop N times (for
 *                                      bench/run-callgrind.sh)
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <staticcall.h>
#include <staticcall/abi.h>
#include <staticcall/host.h>

/* ---- per-call cost ---- */

int bench_key(int x) __attribute__((static_call));
__attribute__((noipa)) int bench_key(int x) { return x; }
__attribute__((noipa)) int bench_target(int x) { return x + 1; }
int (*volatile bench_ptr)(int) = bench_target;

int bench_tramp(int x);
#if defined(__x86_64__)
__asm__(".text\n.p2align 4\n.globl bench_tramp\nbench_tramp:\n\tjmp bench_target\n");
long loop_retpoline(int (*fn)(int), long n);
#elif defined(__aarch64__)
__asm__(".text\n.p2align 4\n.globl bench_tramp\nbench_tramp:\n\tb bench_target\n");
#else
int bench_tramp(int x) { return bench_target(x); }
#endif

__attribute__((noipa)) long loop_site(long n)
{
	long s = 0, i;

	for (i = 0; i < n; i++)
		s += bench_key((int)i);
	return s;
}

__attribute__((noipa)) long loop_direct(long n)
{
	long s = 0, i;

	for (i = 0; i < n; i++)
		s += bench_target((int)i);
	return s;
}

__attribute__((noipa)) long loop_indirect(long n)
{
	int (*f)(int) = bench_ptr;
	long s = 0, i;

	for (i = 0; i < n; i++)
		s += f((int)i);
	return s;
}

__attribute__((noipa)) long loop_tramp(long n)
{
	long s = 0, i;

	for (i = 0; i < n; i++)
		s += bench_tramp((int)i);
	return s;
}

#if defined(__x86_64__)
__attribute__((noipa)) long loop_retpoline_ptr(long n)
{
	return loop_retpoline(bench_ptr, n);
}
#endif

static uint64_t ticks(void)
{
#if defined(__x86_64__)
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
#else
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
#endif
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

struct variant {
	const char *name;
	long (*loop)(long);
};

static const struct variant variants[] = {
	{ "direct", loop_direct },
	{ "site", loop_site },
	{ "indirect", loop_indirect },
#if defined(__x86_64__)
	{ "retpoline", loop_retpoline_ptr },
#endif
	{ "trampoline", loop_tramp },
};
#define NVARIANTS (sizeof(variants) / sizeof(variants[0]))

static volatile long sink;

static double per_call(long (*loop)(long))
{
	const long n = 1000000;
	double v[11];
	int r;

	sink = loop(n / 10);	/* warm up */
	for (r = 0; r < 11; r++) {
		uint64_t t0 = ticks();

		sink = loop(n);
		v[r] = (double)(ticks() - t0) / (double)n;
	}
	return median(v, 11);
}

/* ---- synthetic objects for update and registration ---- */

struct synth {
	unsigned char *map;
	size_t map_len, code_len;
	uintptr_t ta, tb;		/* two targets: ret */
	struct staticcall_key_rec *keys;
	struct staticcall_site_rec *sites;
	long nsites;
	struct staticcall_object obj;
};

/* @nsites aligned call sites to ta, spread over @nkeys keys (shuffled). */
static int synth_make(struct synth *s, long nsites, int nkeys, int shuffle)
{
	long ps = sysconf(_SC_PAGESIZE), i;
	size_t code = ((size_t)(64 + 8 * nsites) + (size_t)ps - 1) & ~(size_t)(ps - 1);
	size_t data = (size_t)nkeys * 64 + 64 + (size_t)nsites * 8;
	unsigned char *c;
	char *name;
	int k;

	memset(s, 0, sizeof(*s));
	s->map_len = code + ((data + (size_t)ps - 1) & ~(size_t)(ps - 1));
	s->map = mmap(NULL, s->map_len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->map == MAP_FAILED)
		return -1;
	s->code_len = code;
	s->nsites = nsites;
	c = s->map;
	s->ta = (uintptr_t)c;
	s->tb = (uintptr_t)c + 16;
#if defined(__x86_64__)
	c[0] = 0xc3;
	c[16] = 0xc3;
	for (i = 0; i < nsites; i++) {
		unsigned char *p = c + 64 + 8 * i;
		int32_t rel = (int32_t)(s->ta - ((uintptr_t)p + 5));

		p[0] = 0xe8;
		memcpy(p + 1, &rel, 4);
		p[5] = 0x0f;
		p[6] = 0x1f;
		p[7] = 0x00;
	}
#elif defined(__aarch64__)
	*(uint32_t *)c = 0xd65f03c0;
	*(uint32_t *)(c + 16) = 0xd65f03c0;
	for (i = 0; i < nsites; i++) {
		uint32_t *p = (uint32_t *)(c + 64 + 8 * i);

		p[0] = 0x94000000 | (((uint32_t)(s->ta - (uintptr_t)p) >> 2) & 0x03ffffff);
		p[1] = 0xd503201f;
	}
#else
	fprintf(stderr, "synthetic sites: not for this CPU\n");
	return -1;
#endif
	s->keys = (struct staticcall_key_rec *)(s->map + code);
	name = (char *)(s->keys + nkeys);
	strcpy(name, "synthetic");
	s->sites = (struct staticcall_site_rec *)(name + 64);
	for (k = 0; k < nkeys; k++) {
		struct staticcall_key_rec *kr = &s->keys[k];

		kr->magic = STATICCALL_KEY_MAGIC;
		kr->version = STATICCALL_ABI_VERSION;
		kr->name = (int32_t)(name - (char *)&kr->name);
		kr->ident = s->ta + 32 + (uint64_t)k;	/* unique, never called */
		kr->deflt = s->ta;
	}
	for (i = 0; i < nsites; i++) {
		struct staticcall_site_rec *r = &s->sites[i];

		r->site = (int32_t)((intptr_t)(c + 64 + 8 * i) - (intptr_t)r);
		r->key = (int32_t)((intptr_t)&s->keys[i % nkeys] - (intptr_t)r) |
			 STATICCALL_SITE_ALIGNED;
	}
	if (shuffle) {
		/* the same records in random order: record perm[i] is site i */
		long *perm = malloc(sizeof(long) * (size_t)nsites);

		for (i = 0; i < nsites; i++)
			perm[i] = i;
		for (i = nsites - 1; i > 0; i--) {
			long j = random() % (i + 1), t = perm[i];

			perm[i] = perm[j];
			perm[j] = t;
		}
		for (i = 0; i < nsites; i++) {
			struct staticcall_site_rec *r = &s->sites[perm[i]];

			r->site = (int32_t)((intptr_t)(c + 64 + 8 * i) - (intptr_t)r);
			r->key = (int32_t)((intptr_t)&s->keys[i % nkeys] - (intptr_t)r) |
				 STATICCALL_SITE_ALIGNED;
		}
		free(perm);
	}
	mprotect(s->map, code, PROT_READ | PROT_EXEC);
	__builtin___clear_cache((char *)s->map, (char *)s->map + code);
	return 0;
}

static void synth_free(struct synth *s)
{
	staticcall_object_remove(&s->obj);
	munmap(s->map, s->map_len);
}

static double update_latency(long nsites)
{
	struct synth s;
	double v[21];
	int r;

	if (synth_make(&s, nsites, 1, 0) ||
	    staticcall_object_add(&s.obj, s.sites, s.sites + nsites))
		return -1;
	for (r = 0; r < 21; r++) {
		double t0 = now_us();

		if (staticcall_update_key((const void *)(uintptr_t)s.keys[0].ident,
					  (void *)((r & 1) ? s.ta : s.tb), 0))
			return -1;
		v[r] = now_us() - t0;
	}
	synth_free(&s);
	return median(v, 21);
}

/* 10 keys of 100 sites: 10 updates against one batch. */
static void batch_vs_single(void)
{
	struct staticcall_retarget v[10];
	struct synth s;
	unsigned long r0;
	double t0, single, batch;
	int k, round;

	if (synth_make(&s, 1000, 10, 0) ||
	    staticcall_object_add(&s.obj, s.sites, s.sites + 1000))
		return;
	for (round = 0; round < 2; round++) {
		uintptr_t t = s.tb;	/* singles to tb, the batch back to ta */

		r0 = staticcall_host_sync_rounds();
		t0 = now_us();
		for (k = 0; k < 10; k++)
			staticcall_update_key((const void *)(uintptr_t)s.keys[k].ident,
					      (void *)t, 0);
		single = now_us() - t0;
		printf("  10 keys x 100 sites, 10 updates  %8.1f us, %lu syncs\n",
		       single, staticcall_host_sync_rounds() - r0);
		for (k = 0; k < 10; k++) {
			v[k].key = (const void *)(uintptr_t)s.keys[k].ident;
			v[k].target = (void *)s.ta;
			v[k].kind = 0;
		}
		r0 = staticcall_host_sync_rounds();
		t0 = now_us();
		staticcall_update_batch(v, 10);
		batch = now_us() - t0;
		printf("  10 keys x 100 sites, one batch   %8.1f us, %lu syncs\n",
		       batch, staticcall_host_sync_rounds() - r0);
	}
	synth_free(&s);
}

static double registration(long nsites, int nkeys, int shuffle)
{
	double v[5];
	int r;

	for (r = 0; r < 5; r++) {
		struct synth s;
		double t0;

		srandom(42);
		if (synth_make(&s, nsites, nkeys, shuffle))
			return -1;
		t0 = now_us();
		if (staticcall_object_add(&s.obj, s.sites, s.sites + nsites))
			return -1;
		v[r] = now_us() - t0;
		synth_free(&s);
	}
	return median(v, 5);
}

int main(int argc, char **argv)
{
	static const long counts[] = { 1, 100, 10000, 100000 };
	double direct;
	unsigned int i;

	if (staticcall_update(bench_key, bench_target))
		fprintf(stderr, "bench: the site was not retargeted (built without the plugin?)\n");
	if (argc == 3) {
		for (i = 0; i < NVARIANTS; i++)
			if (!strcmp(argv[1], variants[i].name)) {
				sink = variants[i].loop(atol(argv[2]));
				return 0;
			}
		fprintf(stderr, "unknown variant %s\n", argv[1]);
		return 2;
	}

	printf("per call (%s, median of 11 x 10^6 calls)\n",
#if defined(__x86_64__)
	       "TSC ticks"
#else
	       "ns"
#endif
	       );
	direct = per_call(loop_direct);
	for (i = 0; i < NVARIANTS; i++) {
		double c = i ? per_call(variants[i].loop) : direct;

		printf("  %-11s %7.2f  (%+.1f%% vs direct)\n", variants[i].name,
		       c, 100.0 * (c - direct) / direct);
	}
	printf("update latency, one key (core sync: %s)\n",
	       staticcall_host_sync_method());
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		printf("  %6ld sites  %10.1f us\n", counts[i],
		       update_latency(counts[i]));
	printf("batch against single updates\n");
	batch_vs_single();
	printf("registration of 100000 sites\n");
	printf("  1 key, sorted          %10.1f us\n", registration(100000, 1, 0));
	printf("  1000 keys, shuffled    %10.1f us\n", registration(100000, 1000, 1));
	return 0;
}
