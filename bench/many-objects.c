/*
 * many-objects.c - one key with 4 sites in each of 300 shared objects
 * (bench/many-lib.c linked 300 times): dlopen them all, call each, then
 * time the first update of the key and 21 later ones (wall clock, their
 * median), the program quiet.  Prints the line bench/startup.c reads,
 * or with --table (make bench-writer) a row of bench/writer.c's table.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <staticcall.h>

#define NOBJ	300

int shared_hook(int) __attribute__((static_call));
__attribute__((noipa)) int shared_hook(int x) { return x + 1; }
__attribute__((noipa)) int shared_hook2(int x) { return x + 2; }

static struct timespec t0;
static void at_preinit(void) { clock_gettime(CLOCK_MONOTONIC, &t0); }
__attribute__((section(".preinit_array"), used))
static void (*const preinit)(void) = at_preinit;

static long ns_since(const struct timespec *a)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - a->tv_sec) * 1000000000L + (t.tv_nsec - a->tv_nsec);
}

static int (*fn[NOBJ])(int);

/* many_call(0) with the hook adding @add: 4 sites in a row */
static int check(int add)
{
	int i, want = ((add + add) * 3 + add) * 5 + add;

	for (i = 0; i < NOBJ; i++)
		if (fn[i](0) != want)
			return 1;
	return 0;
}

static int cmp_l(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

#define LATER	21

/*
 * The floor of bench/writer.c for this key: per object, one mprotect
 * (PROT_READ|PROT_WRITE|PROT_EXEC) window over the page of many_call
 * (its 4 sites), 4 atomic stores of words read back, the window closed.
 * Wall clock.
 */
static long floor_once(void)
{
	uintptr_t ps = (uintptr_t)sysconf(_SC_PAGESIZE);
	struct timespec t;
	int i, j;

	clock_gettime(CLOCK_MONOTONIC, &t);
	for (i = 0; i < NOBJ; i++) {
		uintptr_t a = (uintptr_t)fn[i], p = a & ~(ps - 1);
		uint32_t *w = (uint32_t *)((a + 3) & ~(uintptr_t)3);

		if (mprotect((void *)p, ps, PROT_READ | PROT_WRITE | PROT_EXEC)) {
			perror("floor: mprotect");
			exit(1);
		}
		for (j = 0; j < 4; j++)
			__atomic_store_n(&w[j], __atomic_load_n(&w[j], __ATOMIC_RELAXED),
					 __ATOMIC_RELAXED);
		__builtin___clear_cache((char *)w, (char *)(w + 4));
		mprotect((void *)p, ps, PROT_READ | PROT_EXEC);
	}
	return ns_since(&t);
}

int main(int argc, char **argv)
{
	long start = ns_since(&t0), first, later, v[LATER];
	struct timespec t;
	char name[64];
	int i;

	for (i = 0; i < NOBJ; i++) {
		void *h;

		snprintf(name, sizeof(name), "libmany%d.so", i);
		h = dlopen(name, RTLD_NOW);
		if (!h || !(fn[i] = (int (*)(int))dlsym(h, "many_call"))) {
			fprintf(stderr, "%s\n", dlerror());
			return 1;
		}
	}
	if (check(1))
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t);
	if (staticcall_update(shared_hook, shared_hook2))
		return 3;
	first = ns_since(&t);
	if (check(2))
		return 4;
	for (i = 0; i < LATER; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (staticcall_update(shared_hook, i & 1 ? shared_hook : shared_hook2))
			return 5;
		v[i] = ns_since(&t);
	}
	if (check(2))
		return 6;
	qsort(v, LATER, sizeof(v[0]), cmp_l);
	later = v[LATER / 2];
	if (argc > 1 && !strcmp(argv[1], "--table")) {
		long fl;

		for (i = 0; i < LATER; i++)
			v[i] = floor_once();
		qsort(v, LATER, sizeof(v[0]), cmp_l);
		fl = v[LATER / 2];
		printf("| a key in %d shared objects, 4 sites each, quiet | %.0f us | %.0f us | %.0f us | %.2f | %.2f | | | | | | | | | | |\n",
		       NOBJ, first / 1e3, later / 1e3, fl / 1e3,
		       (double)later / fl, (double)first / later);
		return 0;
	}
	printf("startup_ns=%ld text_dirty_kb=0 table_dirty_kb=0 first_ns=%ld later_ns=%ld\n",
	       start, first, later);
	return 0;
}
