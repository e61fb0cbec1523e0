/*
 * demo.c - the program scripts/demo builds with the staticcall plugin for
 * each target and runs (natively or under qemu-user).  It tells the story in
 * three scenes, each one function:
 *
 *   boot()      a constructor picks a version of work() from the CPU (or
 *               $DEMO_WORK) before anything calls it: the sites are patched;
 *   load()      libdemo-lib.so, which has its own sites of work(), is
 *               dlopen'ed after an update: its sites are already on the
 *               current target when dlopen returns; then dlclose;
 *   run_time()  threads call work() in a tight loop while main retargets it
 *               back and forth; every call must land in one of the two.
 *
 * Only the public API (staticcall.h) changes anything.  The site table
 * (staticcall/abi.h) is read, and each site's branch decoded, for display.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/auxv.h>
#include <staticcall.h>
#include <staticcall/abi.h>

/* The key and its versions.  Each returns x plus its own number, so a
   caller can tell which one ran. */
long work(long x) __attribute__((static_call));
long work(long x) { return x + 1; }		/* generic: the default */
long work_scalar(long x) { return x + 2; }
long work_vector(long x) { return x + 3; }

static const char *const version_name[] = { "?", "work", "work_scalar", "work_vector" };

/* The version a result came from (0: none of them). */
static int version_of(long result, long x)
{
	long v = result - x;

	return v >= 1 && v <= 3 ? (int)v : 0;
}

/* ---- display: a site's bytes and where its branch goes ---- */

#if defined __x86_64__
enum { SITE_LEN = 5, VENEER_SIZE = 16 };	/* call/jmp rel32 */
#elif defined __aarch64__
enum { SITE_LEN = 4, VENEER_SIZE = 16 };	/* bl/b imm26 */
#elif defined __powerpc64__
enum { SITE_LEN = 8, VENEER_SIZE = 40 };	/* bl LI; ld r2,24(r1) */
#else
#error "demo: unknown architecture"
#endif

static uintptr_t branch_dest(uintptr_t site)
{
#if defined __x86_64__
	int32_t rel;

	memcpy(&rel, (const void *)(site + 1), 4);
	return site + 5 + rel;
#else
	uint32_t insn;

	memcpy(&insn, (const void *)site, 4);
#if defined __aarch64__
	return site + ((int32_t)(insn << 6) >> 4);		/* imm26 * 4 */
#else
	return site + (((int32_t)(insn << 6) >> 6) & ~3);	/* LI */
#endif
#endif
}

static const char *function_at(uintptr_t addr)
{
	if (addr == (uintptr_t)work)
		return "work";
	if (addr == (uintptr_t)work_scalar)
		return "work_scalar";
	if (addr == (uintptr_t)work_vector)
		return "work_vector";
	return NULL;
}

/* "work_vector", or "veneer 0x... -> work_vector" (its target word is its
   last 8 bytes: doc/runtime.md, Veneers). */
static const char *describe_dest(uintptr_t dest, char *buf, size_t size)
{
	uintptr_t word;
	const char *name = function_at(dest);

	if (name)
		return name;
	memcpy(&word, (const void *)(dest + VENEER_SIZE - 8), 8);
	name = function_at(word);
	if (name)
		snprintf(buf, size, "veneer %#lx -> %s", (unsigned long)dest, name);
	else
		snprintf(buf, size, "%#lx (?)", (unsigned long)dest);
	return buf;
}

/* One line per site: address, the function holding it, bytes, destination. */
static void show_sites(const char *when, const struct staticcall_site_rec *start,
		       const struct staticcall_site_rec *stop)
{
	printf("    sites %s:\n", when);
	for (const struct staticcall_site_rec *rec = start; rec < stop; rec++) {
		uintptr_t site = staticcall_site_addr(rec);
		const unsigned char *p = (const unsigned char *)site;
		char buf[64];
		Dl_info info;

		if (staticcall_site_is_definition(rec))
			continue;	/* the unit defines the key: no site */
		if (!dladdr((void *)site, &info) || !info.dli_sname)
			info.dli_sname = "?";
		printf("      %#lx in %-12s %s", (unsigned long)site, info.dli_sname,
		       staticcall_site_flags(rec) & STATICCALL_SITE_TAIL ? "jump" : "call");
		for (int i = 0; i < SITE_LEN; i++)
			printf(" %02x", p[i]);
		printf("  -> %s\n", describe_dest(branch_dest(site), buf, sizeof buf));
	}
}

/* This executable's site table. */
extern struct staticcall_site_rec __start_staticcall_sites[]
	__attribute__((visibility("hidden")));
extern struct staticcall_site_rec __stop_staticcall_sites[]
	__attribute__((visibility("hidden")));

/* Two sites of work() in the program (a third is in the threads' loop). */
__attribute__((noinline)) long use_work(long x)
{
	return work(x) * 10;
}

__attribute__((noinline)) long tail_work(long x)
{
	return work(x);
}

/* ---- 1. boot: pick a version before the first call ---- */

/* Priority 200: after staticcall-object.o registered the sites (101). */
__attribute__((constructor(200))) void boot(void)
{
	const char *env = getenv("DEMO_WORK");
	const char *why;
	int vector, err;

	setvbuf(stdout, NULL, _IOLBF, 0);	/* keep output if a step crashes */
#if defined __x86_64__
	__builtin_cpu_init();
	vector = __builtin_cpu_supports("avx2");
	why = vector ? "the CPU has AVX2" : "the CPU lacks AVX2";
#elif defined __aarch64__
	vector = (getauxval(AT_HWCAP) & HWCAP_ASIMD) != 0;
	why = vector ? "AT_HWCAP has ASIMD" : "AT_HWCAP lacks ASIMD";
#else
	vector = (getauxval(AT_HWCAP) & PPC_FEATURE_HAS_VSX) != 0;
	why = vector ? "AT_HWCAP has VSX" : "AT_HWCAP lacks VSX";
#endif
	if (env && *env) {
		vector = strcmp(env, "scalar") != 0;
		why = "DEMO_WORK is set";
	}
	printf("  1. boot: a constructor runs before main: %s\n", why);
	show_sites("before", __start_staticcall_sites, __stop_staticcall_sites);
	err = vector ? staticcall_update(work, work_vector)
		     : staticcall_update(work, work_scalar);
	printf("    staticcall_update(work, %s) = %d\n",
	       vector ? "work_vector" : "work_scalar", err);
	show_sites("after", __start_staticcall_sites, __stop_staticcall_sites);
	if (err)
		exit(1);
}

/* ---- 2. load: a library loaded after an update starts on the target ---- */

static int load(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	const struct staticcall_site_rec *start, *stop;
	void (*lib_sites)(const struct staticcall_site_rec **, const struct staticcall_site_rec **);
	long (*lib_work)(long);
	long *ctor_result;
	char path[4096];
	void *h;
	/* switch to the version boot did not pick */
	int now = staticcall_query(work) == work_vector ? 2 : 3;
	int err = now == 2 ? staticcall_update(work, work_scalar)
			   : staticcall_update(work, work_vector);

	printf("  2. load: staticcall_update(work, %s) = %d, then dlopen\n", version_name[now], err);
	/* next to the program */
	snprintf(path, sizeof path, "%.*slibdemo-lib.so", slash ? (int)(slash - argv0 + 1) : 0, argv0);
	h = dlopen(path, RTLD_NOW);
	if (!h) {
		printf("    dlopen: %s\n", dlerror());
		return 1;
	}
	lib_sites = (__typeof__(lib_sites))dlsym(h, "lib_sites");
	lib_work = (__typeof__(lib_work))dlsym(h, "lib_work");
	ctor_result = (long *)dlsym(h, "ctor_result");
	if (!lib_sites || !lib_work || !ctor_result)
		return 1;
	lib_sites(&start, &stop);
	show_sites("of libdemo-lib.so when dlopen returned", start, stop);
	printf("    its constructor's call went to %s; lib_work(0) goes to %s\n",
	       version_name[version_of(*ctor_result, 0)], version_name[version_of(lib_work(0), 0)]);
	if (err || version_of(*ctor_result, 0) != now || version_of(lib_work(0), 0) != now)
		return 1;
	err = dlclose(h);
	printf("    dlclose = %d (its sites are unregistered)\n", err);
	return err != 0;
}

/* ---- 3. run time: retarget while threads call ---- */

enum { THREADS = 3 };

struct worker {
	pthread_t tid;
	int started, stop;	/* atomic */
	long seen[4];		/* calls that reached each version, [0]: none */
};

void *worker_loop(void *arg)
{
	struct worker *w = arg;

	__atomic_store_n(&w->started, 1, __ATOMIC_RELEASE);
	for (long x = 0; !__atomic_load_n(&w->stop, __ATOMIC_RELAXED); x++)
		w->seen[version_of(work(x), x)]++;
	return NULL;
}

static int run_time(long updates)
{
	struct worker w[THREADS];
	struct timespec t0, t1;
	long failed = 0, stray = 0;

	printf("  3. run time: %d threads call work() in a loop while main retargets it %ld times\n",
	       THREADS, updates);
	memset(w, 0, sizeof w);
	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&w[i].tid, NULL, worker_loop, &w[i]))
			return 1;
	for (int i = 0; i < THREADS; i++)
		while (!__atomic_load_n(&w[i].started, __ATOMIC_ACQUIRE))
			sched_yield();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long n = 0; n < updates; n++)
		failed += (n & 1 ? staticcall_update(work, work_scalar)
				 : staticcall_update(work, work_vector)) != 0;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (int i = 0; i < THREADS; i++) {
		__atomic_store_n(&w[i].stop, 1, __ATOMIC_RELAXED);
		pthread_join(w[i].tid, NULL);
		printf("    thread %d: %9ld calls to work_scalar, %9ld to work_vector, %ld elsewhere\n",
		       i + 1, w[i].seen[2], w[i].seen[3], w[i].seen[0] + w[i].seen[1]);
		stray += w[i].seen[0] + w[i].seen[1];
	}
	printf("    %s; %ld failed updates; %.1f us per update\n",
	       stray ? "SOME CALLS WENT ELSEWHERE" : "every call went to work_scalar or work_vector",
	       failed, ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / 1e3 / updates);
	return stray || failed;
}

int main(int argc, char **argv)
{
	long updates = argc > 1 ? atol(argv[1]) : 10000;
	long r = tail_work(1);

	printf("    main's first calls: use_work(1) = %ld, tail_work(1) = %ld (%s)\n",
	       use_work(1), r, version_name[version_of(r, 1)]);
	if (load(argv[0]) || run_time(updates))
		return 1;
	return 0;
}
