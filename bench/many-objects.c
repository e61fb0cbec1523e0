/*
 * many-objects.c - one key with a site in each of 300 shared objects
 * (bench/many-lib.c linked 300 times), for bench/startup.c: dlopen them
 * all, call each, then time the first update of the key and later ones
 * (the smallest of 20).  Prints the line bench/startup.c reads.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <time.h>
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

static int check(int want)
{
	int i;

	for (i = 0; i < NOBJ; i++)
		if (fn[i](0) != want)
			return 1;
	return 0;
}

int main(void)
{
	long start = ns_since(&t0), first, later = -1;
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
	for (i = 0; i < 20; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (staticcall_update(shared_hook, i & 1 ? shared_hook2 : shared_hook))
			return 5;
		if (later < 0 || ns_since(&t) < later)
			later = ns_since(&t);
	}
	if (check(2))
		return 6;
	printf("startup_ns=%ld text_dirty_kb=0 table_dirty_kb=0 first_ns=%ld later_ns=%ld\n",
	       start, first, later);
	return 0;
}
