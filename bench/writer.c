/*
 * bench/writer.c - staticcall-bench-writer: what an update costs in a
 * program of real size, against the floor measured in the same run
 * (doc/runtime.md, "Text writers").
 *
 * The program (bench/gen-text.sh): > 10 MB of text, 205 keys; rows of
 * 1, 100, 10^4 and 10^5 sites close together ("dense") and 1,000 sites
 * one per page.  Two threads call every site of every key all along.
 *
 *   update  staticcall_update() of the key with the writer in use
 *           (STATICCALL_WRITER, default nx), wall clock, core
 *           synchronisation included.
 *   floor   by hand, without the runtime: one mprotect(PROT_READ|
 *           PROT_WRITE|PROT_EXEC) window over the pages from the key's
 *           first site to its last, one atomic store of each site's word
 *           (8 bytes on x86-64, 4 elsewhere: the word read back, so the
 *           runtime's view stays true), the cache maintenance of other
 *           CPUs, the window closed.  No core synchronisation.
 *
 * "first": a key's first update (its pages are written for the first
 * time: copy-on-write); for 1 site the median over 11 keys of 1 site on
 * their own pages.  "fresh floor": the floor's own first writes to
 * pages of the same shape never written (the twin of the key,
 * gen-text.sh; for 1 site the median over 11 other one-site keys; none
 * for the 1,000-page key), which pay the same copies: "first/fresh" is
 * what the runtime adds to them (CPU time).  "later": the median of 11 updates, each followed by a
 * floor run (the floor's median beside it).  Memory: what the first
 * update added (1 site: the 11 first updates together) to the process's
 * private copies (Anonymous in
 * smaps_rollup: a page of a file mapping is anonymous once written;
 * Private_Dirty misses some of them) and to the
 * system's Shmem (meminfo; other processes move it too), and what the 11
 * later updates added.  Ratios: later / floor and first / later (the
 * issue's bars: <= 1.5 and <= 2).  Beside the wall clock, the updating
 * thread's CPU time (medians of the same runs): on a loaded machine the
 * wall clock also counts the time the updater waited for a CPU.  Then
 * one line: the first writes to 50 fresh pages, the runtime's (one batch
 * of 50 keys) against the floor's (50 other keys' pages), both paying the
 * copy of each page.  `make bench-writer` then runs bench/many-objects
 * --table: the row of a key in 300 shared objects.  A program printing a
 * table, not a test: figures vary with the machine and its load.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <staticcall.h>
#include <staticcall/abi.h>
#include <staticcall/writer.h>
#include "writer.h"

#define RUNS	11

#if defined __x86_64__
#define WORD	8
#else
#define WORD	4
#endif

extern struct staticcall_site_rec __start_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));
extern struct staticcall_site_rec __stop_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));

static int ta(int x) { return x + 1; }
static int tb(int x) { return x + 2; }

static volatile int stop;
static unsigned long calls[2];

static void *caller(void *arg)
{
	unsigned long *n = arg;
	unsigned int i;
	int sum = 0;

	while (!stop) {
		for (i = 0; i < n_site_fns; i++)
			sum += site_fns[i](i);
		__atomic_add_fetch(n, 1, __ATOMIC_RELAXED);
	}
	return (void *)(uintptr_t)(unsigned int)sum;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* The calling thread's CPU time of the last update_once/floor_once. */
static double cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}
static double last_cpu;

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_d);
	return v[n / 2];
}

/* A field of a /proc file in kB ("Name:   1234 kB"). */
static long proc_kb(const char *file, const char *name)
{
	char line[256];
	size_t len = strlen(name);
	long v = -1;
	FILE *f = fopen(file, "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, name, len) && line[len] == ':')
			v = atol(line + len + 1);
	if (f)
		fclose(f);
	return v;
}

struct mem {
	long priv, shmem;
};

static struct mem mem_now(void)
{
	struct mem m;

	/* pages of a file mapping made private by a write are anonymous */
	m.priv = proc_kb("/proc/self/smaps_rollup", "Anonymous");
	m.shmem = proc_kb("/proc/meminfo", "Shmem");
	return m;
}

/* The sites of @key: their addresses, and the pages from first to last. */
struct sites {
	uintptr_t *a;
	size_t n;
	uintptr_t lo, hi;
};

/* A site of @key (its definition record is not one: it has no site). */
static int is_site_of(const struct staticcall_site_rec *r, int (*key)(int))
{
	return staticcall_site_key(r)->ident == (uintptr_t)key &&
	       !staticcall_site_is_definition(r);
}

/* The sites of the @nkeys keys from @keys (the pages from the first to the last). */
static void sites_of_keys(int (*const *keys)(int), unsigned int nkeys,
			  struct sites *s)
{
	struct staticcall_site_rec *r;
	uintptr_t ps = (uintptr_t)sysconf(_SC_PAGESIZE);
	unsigned int k;

	s->n = 0;
	for (r = __start_staticcall_sites; r < __stop_staticcall_sites; r++)
		for (k = 0; k < nkeys; k++)
			if (is_site_of(r, keys[k]))
				s->n++;
	s->a = malloc(s->n * sizeof(*s->a));
	s->n = 0;
	s->lo = UINTPTR_MAX;
	s->hi = 0;
	for (r = __start_staticcall_sites; r < __stop_staticcall_sites; r++)
		for (k = 0; k < nkeys; k++)
			if (is_site_of(r, keys[k])) {
			uintptr_t a = staticcall_site_addr(r);

			s->a[s->n++] = a;
			if ((a & ~(ps - 1)) < s->lo)
				s->lo = a & ~(ps - 1);
			if (((a + 8 + ps - 1) & ~(ps - 1)) > s->hi)
				s->hi = (a + 8 + ps - 1) & ~(ps - 1);
		}
}

static void sites_of(int (*key)(int), struct sites *s)
{
	sites_of_keys(&key, 1, s);
}

static double floor_once(const struct sites *s)
{
	double c = cpu_us(), t = now_us();
	size_t i;

	if (mprotect((void *)s->lo, s->hi - s->lo, PROT_READ | PROT_WRITE | PROT_EXEC)) {
		perror("floor: mprotect");
		exit(1);
	}
	for (i = 0; i < s->n; i++) {
#if WORD == 8
		uint64_t *w = (uint64_t *)(s->a[i] & ~(uintptr_t)7);

		__atomic_store_n(w, __atomic_load_n(w, __ATOMIC_RELAXED), __ATOMIC_RELAXED);
#else
		uint32_t *w = (uint32_t *)s->a[i];

		__atomic_store_n(w, __atomic_load_n(w, __ATOMIC_RELAXED), __ATOMIC_RELAXED);
#endif
	}
#if WORD != 8
	__builtin___clear_cache((char *)s->lo, (char *)s->hi);
#endif
	mprotect((void *)s->lo, s->hi - s->lo, PROT_READ | PROT_EXEC);
	t = now_us() - t;
	last_cpu = cpu_us() - c;
	return t;
}

static double update_once(int (*key)(int), int (*to)(int))
{
	double c = cpu_us(), t = now_us();
	/* a function key named through a pointer: kind 0 */
	int err = staticcall_update_key((void *)(uintptr_t)key,
					(void *)(uintptr_t)to, 0);

	if (err) {
		fprintf(stderr, "staticcall_update: %d\n", err);
		exit(1);
	}
	t = now_us() - t;
	last_cpu = cpu_us() - c;
	return t;
}

/*
 * First writes on pages never written, the runtime's and the floor's:
 * keys kf_100..kf_149 in one batch (50 sites, one per page, consecutive
 * pages) against the floor over the sites of kf_150..kf_199 (the same
 * shape, fresh too).  Both pay the copy of each page; on a machine where
 * that dominates (a virtual machine: the first access through each new
 * page-table entry), this is what a first update can be held to.
 */
#define FRESH	50
static void fresh_pages(void)
{
	struct staticcall_retarget v[FRESH];
	struct sites s;
	double t, f, fc, rc;
	unsigned int k;
	int err;

	for (k = 0; k < FRESH; k++) {
		v[k].key = (const void *)(uintptr_t)key_fns[5 + 100 + k];
		v[k].target = (void *)(uintptr_t)tb;
		v[k].kind = 0;
	}
	rc = cpu_us();
	t = now_us();
	err = staticcall_update_batch(v, FRESH);
	t = now_us() - t;
	rc = cpu_us() - rc;
	if (err) {
		fprintf(stderr, "staticcall_update_batch: %d\n", err);
		exit(1);
	}
	sites_of_keys(&key_fns[5 + 150], FRESH, &s);
	f = floor_once(&s);
	fc = last_cpu;
	printf("first writes to %d fresh pages (%d keys of 1 site, one batch): runtime %.0f us (cpu %.0f us), floor %.0f us (cpu %.0f us), ratio %.2f (cpu %.2f)\n",
	       FRESH, FRESH, t, rc, f, fc, t / f, rc / fc);
	free(s.a);
}

static const char *const rows[] = {
	"1 site", "100 sites, dense", "10^4 sites, dense",
	"10^5 sites, dense", "1,000 sites on 1,000 pages",
};

int main(void)
{
	pthread_t th[2];
	struct sites s;
	double first[RUNS], later[RUNS], fl[RUNS], lcpu[RUNS], fcpu[RUNS];
	double first_cpu[RUNS], fresh[RUNS];
	struct mem m0, m1, m2;
	long text_kb;
	unsigned int k;
	int i;

	/* the runtime indexes the objects at the first touch: not timed */
	staticcall_query_key((void *)(uintptr_t)key_fns[0], 0);
	text_kb = 0;
	{
		uintptr_t lo = (uintptr_t)site_fns[0], hi = lo;

		for (k = 0; k < n_site_fns; k++) {
			uintptr_t a = (uintptr_t)site_fns[k];

			lo = a < lo ? a : lo;
			hi = a > hi ? a : hi;
		}
		text_kb = (long)((hi - lo) >> 10);
	}
	for (i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, caller, &calls[i]);
	while (!__atomic_load_n(&calls[0], __ATOMIC_RELAXED) ||
	       !__atomic_load_n(&calls[1], __ATOMIC_RELAXED))
		usleep(1000);
	printf("staticcall-bench-writer: writer %s, %ld kB of text between the first and last site function, %d keys, 2 threads calling every site\n",
	       staticcall_host_writer(), text_kb, N_KEYS);
	printf("| key | first | later | floor | later/floor | first/later | later cpu | floor cpu | cpu ratio | first cpu | fresh floor cpu | first/fresh | first/later cpu | +private first | +shmem first | +private later |\n");
	printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
	for (k = 0; k < 5; k++) {
		int (*key)(int) = key_fns[k];
		double f, fc, ff = 0;
		struct sites t;

		/* the fresh floor first, outside the memory counts: 11
		   other keys of one site, or the dense key's twin */
		for (i = 0; k == 0 && i < RUNS; i++) {
			sites_of(key_fns[5 + 20 + i], &t);
			floor_once(&t);
			fresh[i] = last_cpu;
			free(t.a);
		}
		if (k == 0)
			ff = median(fresh, RUNS);
		if (k > 0 && k < 4) {
			sites_of(key_fns[TWIN + k], &t);
			floor_once(&t);
			ff = last_cpu;
			free(t.a);
		}
		sites_of(key, &s);
		m0 = mem_now();
		f = update_once(key, tb);
		fc = last_cpu;
		if (k == 0) {
			/* 1 site: the first updates of 11 keys of one site */
			first[0] = f;
			first_cpu[0] = fc;
			for (i = 1; i < RUNS; i++) {
				first[i] = update_once(key_fns[5 + i], tb);
				first_cpu[i] = last_cpu;
			}
			f = median(first, RUNS);
			fc = median(first_cpu, RUNS);
		}
		m1 = mem_now();
		for (i = 0; i < RUNS; i++) {
			later[i] = update_once(key, (i & 1) ? tb : ta);
			lcpu[i] = last_cpu;
			fl[i] = floor_once(&s);
			fcpu[i] = last_cpu;
		}
		m2 = mem_now();
		{
			double lm = median(later, RUNS), fm = median(fl, RUNS);
			double lc = median(lcpu, RUNS), fcm = median(fcpu, RUNS);

			char fresh_s[32], ratio_s[16], priv_s[32];

			if (ff > 0) {
				snprintf(fresh_s, sizeof(fresh_s), "%.0f us", ff);
				snprintf(ratio_s, sizeof(ratio_s), "%.2f", fc / ff);
			} else {
				snprintf(fresh_s, sizeof(fresh_s), "-");
				snprintf(ratio_s, sizeof(ratio_s), "-");
			}
			/* 1 site: the first updates of 11 keys */
			snprintf(priv_s, sizeof(priv_s), k ? "%+ld kB" : "%+ld kB for %d",
				 m1.priv - m0.priv, RUNS);
			printf("| %s | %.0f us | %.0f us | %.0f us | %.2f | %.2f | %.0f us | %.0f us | %.2f | %.0f us | %s | %s | %.2f | %s | %+ld kB | %+ld kB |\n",
			       rows[k], f, lm, fm, lm / fm, f / lm, lc, fcm,
			       lc / fcm, fc, fresh_s, ratio_s, fc / lc, priv_s,
			       m1.shmem - m0.shmem, m2.priv - m1.priv);
		}
		fflush(stdout);
		free(s.a);
	}
	fresh_pages();
	stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	printf("%lu + %lu rounds of calls over %u site functions\n", calls[0],
	       calls[1], n_site_fns);
	return 0;
}
