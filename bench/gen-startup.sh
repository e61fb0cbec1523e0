#!/bin/sh
# gen-startup.sh N - the C source of a start-up benchmark program with N
# sites of one key (bench/startup.c runs it): a .preinit_array entry
# (before every constructor, staticcall's included) takes the time, main
# takes it again and reports start-up, the private dirty pages of the
# text and table mappings, and the first and later updates.
n=$1
cat <<'HEAD'
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <staticcall.h>

#ifdef __STATICCALL__
#define SC __attribute__((static_call))
#else
#define SC
#endif
int hook(int) SC;
__attribute__((noipa)) int hook(int x) { return x + 1; }
__attribute__((noipa)) int hook2(int x) { return x + 2; }
extern const char __start_staticcall_sites[] __attribute__((weak));

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

/*
 * Private pages written (kB) of the mapping holding @addr: its Anonymous
 * count, the copies-on-write (Private_Dirty also counts a freshly linked
 * file's page-cache pages not yet written back).
 */
static long dirty_kb(const void *addr)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	unsigned long lo, hi, a = (unsigned long)addr;
	long kb = -1;
	int in = 0;

	if (!f || !addr)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			in = a >= lo && a < hi;
		else if (in && sscanf(line, "Anonymous: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

HEAD
i=0
while [ $i -lt $((n / 100)) ]; do
	printf '__attribute__((noipa)) int f%d(int x) {\n' $i
	j=0
	while [ $j -lt 100 ]; do printf '\tx = hook(x);\n'; j=$((j + 1)); done
	printf '\treturn x;\n}\n'
	i=$((i + 1))
done
echo 'static int (*const fs[])(int) = {'
i=0
while [ $i -lt $((n / 100)) ]; do printf '\tf%d,\n' $i; i=$((i + 1)); done
echo '};'
cat <<'TAIL'
int main(void)
{
	long start = ns_since(&t0), first = -1, later = -1;
	long dt = dirty_kb((const void *)(uintptr_t)main);
	long dk = dirty_kb(__start_staticcall_sites);
	struct timespec t;
	int i;

#ifdef __STATICCALL__
	clock_gettime(CLOCK_MONOTONIC, &t);
	if (staticcall_update(hook, hook2))
		return 1;
	first = ns_since(&t);
	for (i = 0; i < 4; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (staticcall_update(hook, i & 1 ? hook2 : hook))
			return 1;
		if (later < 0 || ns_since(&t) < later)
			later = ns_since(&t);
	}
#endif
	if (fs[0](0) != (first < 0 ? 100 : 200))
		return 2;
	(void)i;
	(void)t;
	printf("startup_ns=%ld text_dirty_kb=%ld table_dirty_kb=%ld first_ns=%ld later_ns=%ld\n",
	       start, dt, dk, first, later);
	return 0;
}
TAIL
