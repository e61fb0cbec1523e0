/*
 * bench/writer.c - staticcall-bench-writer: what an update costs with each
 * text writer (doc/runtime.md, "Text writers"), against the floor.
 *
 *   floor      staticcall_update with the mprotect-span writer: one
 *              mprotect(PROT_READ|PROT_WRITE|PROT_EXEC) window over the
 *              whole mapping per update, the core's atomic 8-byte stores,
 *              the window closed, one membarrier SYNC_CORE.
 *   stores     the same by hand, without the runtime: one window, one
 *              precomputed atomic store per site, membarrier (what the
 *              runtime's validation and encoding add is the gap to floor).
 *   writers    staticcall_update of the same key with each writer: alias
 *              (the default), procmem, procmem-page, mprotect (the
 *              fallback, one window per run of adjacent pages).
 *
 * Keys: 1, 100, 10^4 and 10^5 sites 8 bytes apart ("dense"), and 1,000
 * sites one per 8 KiB ("1000 pages"), in a synthetic object whose code is
 * a private file mapping (like a program's text: the first write to a page
 * copies it) and whose tables are registered with staticcall_object_add.
 * Two threads call the sites all along (the sites form one chain of calls
 * ending in ret; the sparse layout jumps from site to site).
 *
 * "first": the first update of a fresh object (median of 5 objects; for
 * the alias writer it includes making the alias), "later": the median of
 * 21 updates after it.  Ratios are over the floor's figure of the same
 * column.  x86-64 only (timing under qemu means nothing).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/membarrier.h>

#include <staticcall.h>
#include <staticcall/abi.h>
#include <staticcall/host.h>
#include <staticcall/writer.h>

#define FIRSTS	5
#define LATERS	21

/*
 * CPU time of the updating thread (user + system): on a shared machine the
 * wall clock mostly measures who else runs.  membarrier's wait for the
 * other cores and the kernel's page copies are in it; the calling threads'
 * page faults are not.
 */
static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
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

#if defined(__x86_64__)

struct obj {
	unsigned char *base, *code;	/* one reservation: code, then tables */
	size_t len, code_len;
	uintptr_t ta, tb, entry;
	long nsites, stride;
	struct staticcall_key_rec *key;
	struct staticcall_site_rec *sites;
	struct staticcall_object o;
};

static uintptr_t site_at(const struct obj *b, long i)
{
	return (uintptr_t)b->code + 64 + (uintptr_t)(b->stride * i);
}

/* The 8-byte word of a site calling @target (call rel32; nopl (%rax)). */
static uint64_t site_word(uintptr_t site, uintptr_t target)
{
	unsigned char w[8] = { 0xe8, 0, 0, 0, 0, 0x0f, 0x1f, 0x00 };
	int32_t rel = (int32_t)(target - (site + 5));
	uint64_t v;

	memcpy(w + 1, &rel, 4);
	memcpy(&v, w, 8);
	return v;
}

/*
 * @n sites @stride bytes apart calling ta, chained (stride 8: one after the
 * other, then ret; larger: each site followed by jmp to the next).
 */
static int obj_make(struct obj *b, long n, long stride)
{
	size_t ps = (size_t)sysconf(_SC_PAGESIZE);
	size_t code = (64 + (size_t)(stride * n) + 16 + ps - 1) & ~(ps - 1);
	size_t data = (64 + 64 + (size_t)n * 8 + ps - 1) & ~(ps - 1);
	unsigned char *c = calloc(1, code);
	char path[] = "/tmp/staticcall-bench-XXXXXX";
	long i;
	int fd;

	memset(b, 0, sizeof(*b));
	if (!c)
		return -1;
	b->nsites = n;
	b->stride = stride;
	b->code_len = code;
	b->len = code + data;
	b->base = mmap(NULL, b->len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b->base == MAP_FAILED)
		return -1;
	b->code = b->base;
	b->ta = (uintptr_t)b->code;
	b->tb = (uintptr_t)b->code + 16;
	b->entry = site_at(b, 0);
	c[0] = 0xc3;
	c[16] = 0xc3;
	for (i = 0; i < n; i++) {
		uintptr_t s = site_at(b, i);
		uint64_t w = site_word(s, b->ta);
		unsigned char *p = c + (s - (uintptr_t)b->code);

		memcpy(p, &w, 8);
		if (stride > 8 && i + 1 < n) {
			int32_t rel = (int32_t)(site_at(b, i + 1) - (s + 13));

			p[8] = 0xe9;
			memcpy(p + 9, &rel, 4);
		} else if (i + 1 == n) {
			p[8] = 0xc3;
		}
	}
	/* the code: a private mapping of a file, as a program's text is */
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	unlink(path);
	if (write(fd, c, code) != (ssize_t)code ||
	    mmap(b->code, code, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED,
		 fd, 0) == MAP_FAILED ||
	    mmap(b->base + code, data, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED) {
		close(fd);
		return -1;
	}
	close(fd);
	free(c);
	b->key = (struct staticcall_key_rec *)(b->base + code);
	strcpy((char *)(b->key + 1), "bench");
	b->key->magic = STATICCALL_KEY_MAGIC;
	b->key->version = STATICCALL_ABI_VERSION;
	b->key->name = (int32_t)((char *)(b->key + 1) - (char *)&b->key->name);
	b->key->ident = b->ta + 32;	/* unique, never called */
	b->key->deflt = b->ta;
	b->sites = (struct staticcall_site_rec *)((char *)(b->key + 1) + 64);
	for (i = 0; i < n; i++) {
		struct staticcall_site_rec *r = &b->sites[i];

		r->site = (int32_t)((intptr_t)site_at(b, i) - (intptr_t)r);
		r->key = (int32_t)((intptr_t)b->key - (intptr_t)r) |
			 STATICCALL_SITE_ALIGNED;
	}
	return staticcall_object_add(&b->o, b->sites, b->sites + n);
}

static void obj_free(struct obj *b)
{
	staticcall_object_remove(&b->o);
	munmap(b->base, b->len);
}

/* ---- two threads calling the current object's chain ---- */

static uintptr_t entry;
static int in_use[2], stop;

static void *caller(void *arg)
{
	int me = (int)(intptr_t)arg;

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		uintptr_t e;

		__atomic_store_n(&in_use[me], 1, __ATOMIC_SEQ_CST);
		e = __atomic_load_n(&entry, __ATOMIC_SEQ_CST);
		if (e)
			__asm__ volatile("call *%0" : : "r"(e)
					 : "rax", "rcx", "rdx", "rsi", "rdi", "r8",
					   "r9", "r10", "r11", "memory", "cc");
		__atomic_store_n(&in_use[me], 0, __ATOMIC_SEQ_CST);
		if (!e)
			sched_yield();
	}
	return NULL;
}

static void callers_on(const struct obj *b)
{
	__atomic_store_n(&entry, b->entry, __ATOMIC_SEQ_CST);
}

static void callers_off(void)
{
	__atomic_store_n(&entry, 0, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&in_use[0], __ATOMIC_SEQ_CST) ||
	       __atomic_load_n(&in_use[1], __ATOMIC_SEQ_CST))
		;
}

/* ---- the stores alone ---- */

static int stores_update(struct obj *b, uintptr_t target)
{
	uintptr_t lo = site_at(b, 0) & ~(uintptr_t)4095;
	uintptr_t hi = (site_at(b, b->nsites - 1) + 8 + 4095) & ~(uintptr_t)4095;
	long i;

	if (mprotect((void *)lo, hi - lo, PROT_READ | PROT_WRITE | PROT_EXEC))
		return -errno;
	for (i = 0; i < b->nsites; i++) {
		uintptr_t s = site_at(b, i);

		__atomic_store_n((uint64_t *)s, site_word(s, target),
				 __ATOMIC_RELEASE);
	}
	mprotect((void *)lo, hi - lo, PROT_READ | PROT_EXEC);
	syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0);
	return 0;
}

static int update(struct obj *b, const char *writer, uintptr_t target)
{
	if (!writer)
		return stores_update(b, target);
	return staticcall_update_key((const void *)(uintptr_t)b->key->ident,
				     (void *)target, 0);
}

/* first: median over fresh objects; later: median of updates after it */
static int measure(const char *writer, long n, long stride, double *first,
		   double *later)
{
	double f[FIRSTS], l[LATERS];
	int r;

	if (writer && staticcall_linux_writer_set(writer))
		return -1;
	for (r = 0; r < FIRSTS; r++) {
		struct obj b;
		double t0;
		int k;

		if (obj_make(&b, n, stride))
			return -1;
		callers_on(&b);
		usleep(1000);	/* the callers fault the text in */
		t0 = now_us();
		if (update(&b, writer, b.tb))
			return -1;
		f[r] = now_us() - t0;
		if (r == 0)
			for (k = 0; k < LATERS; k++) {
				t0 = now_us();
				if (update(&b, writer, (k & 1) ? b.tb : b.ta))
					return -1;
				l[k] = now_us() - t0;
			}
		callers_off();
		if (writer && strcmp(staticcall_linux_writer(), writer)) {
			fprintf(stderr, "writer %s fell back to %s\n", writer,
				staticcall_linux_writer());
			return -1;
		}
		obj_free(&b);
	}
	*first = median(f, FIRSTS);
	*later = median(l, LATERS);
	return 0;
}

int main(void)
{
	static const struct { const char *name; long n, stride; } keys[] = {
		{ "1 site", 1, 8 },
		{ "100 dense", 100, 8 },
		{ "10^4 dense", 10000, 8 },
		{ "10^5 dense", 100000, 8 },
		{ "1000 pages", 1000, 8192 },
	};
	static const char *const writers[] = {
		"alias", "procmem", "procmem-page", "mprotect",
	};
	static const char *const row[] = { "stores", "floor" };
	pthread_t th[2];
	unsigned int k, w;
	int i;

	staticcall_linux_init();
	for (i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, caller, (void *)(intptr_t)i);
	printf("update time, us of the updating thread's CPU time (median): first update\n"
	       "of a fresh object, later updates; ratio over the floor; 2 threads calling;\n"
	       "core sync: %s\n",
	       staticcall_linux_sync_method());
	printf("%-11s %-13s %10s %10s %8s %8s\n", "key", "writer", "first",
	       "later", "first/fl", "later/fl");
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		double ff, fl, f, l;

		if (measure("mprotect-span", keys[k].n, keys[k].stride, &ff, &fl)) {
			fprintf(stderr, "floor failed\n");
			return 1;
		}
		for (w = 0; w < 2; w++) {
			if (w == 0 && measure(NULL, keys[k].n, keys[k].stride, &f, &l))
				return 1;
			if (w == 1) {
				f = ff;
				l = fl;
			}
			printf("%-11s %-13s %10.1f %10.1f %8.2f %8.2f\n",
			       keys[k].name, row[w], f, l, f / ff, l / fl);
		}
		for (w = 0; w < sizeof(writers) / sizeof(writers[0]); w++) {
			if (measure(writers[w], keys[k].n, keys[k].stride, &f, &l)) {
				printf("%-11s %-13s failed\n", keys[k].name, writers[w]);
				continue;
			}
			printf("%-11s %-13s %10.1f %10.1f %8.2f %8.2f\n",
			       keys[k].name, writers[w], f, l, f / ff, l / fl);
		}
		fflush(stdout);
	}
	stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	return 0;
}

#else

int main(void)
{
	printf("staticcall-bench-writer: synthetic sites are x86-64 only\n");
	return 0;
}

#endif
