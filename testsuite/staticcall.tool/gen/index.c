/* gen/index.c: main of the gen index test.  calls.c is compiled without
   the plugin and given its table by `staticcall-tool gen`; this file has
   a plugin site of its own (pick), so the program's table holds both.
   gen's table must be read-only, beside an index of 8 bytes per record
   (as the plugin emits them), so the object registers through the index:
   the table's mapping is not writable, the index is big enough, the
   table's bytes never change, nothing is refused, and the sites of both
   keys are retargeted and reset.  Prints "ok" or what went wrong. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <staticcall.h>
#include <staticcall/abi.h>

int caller(int);
int tail(int);

int work(int x)
{
	return x * 2;
}

int work2(int x)
{
	return x * 10;
}

int other(int x)
{
	return x + 100;
}

int pick(int x) __attribute__((static_call));
__attribute__((noipa)) int pick(int x) { return x + 1; }
__attribute__((noipa)) int pick2(int x) { return x + 2; }
__attribute__((noipa)) int use_pick(int x) { return pick(x) * 3; }

extern struct staticcall_site_rec __start_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));
extern struct staticcall_site_rec __stop_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));
extern struct staticcall_site_rec __start_staticcall_index[]
	__attribute__((weak, visibility("hidden")));
extern struct staticcall_site_rec __stop_staticcall_index[]
	__attribute__((weak, visibility("hidden")));

/* The permissions of the mapping holding @a ("rw-p"...), or "". */
static const char *perms(uintptr_t a, char *buf)
{
	unsigned long lo, hi;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	buf[0] = 0;
	if (!f)
		return buf;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, buf) == 3 &&
		    a >= lo && a < hi)
			break;
		else
			buf[0] = 0;
	fclose(f);
	return buf;
}

static unsigned char before[4096];

int main(void)
{
	size_t n = (size_t)(__stop_staticcall_sites - __start_staticcall_sites);
	size_t ni = (size_t)(__stop_staticcall_index - __start_staticcall_index);
	size_t len = n * sizeof(*__start_staticcall_sites);
	char p[8];
	int bad = 0;

	/* 3 sites of work in calls.c, 1 of pick here, and pick's definition
	   record (pick is defined here, abi.h) */
	if (n != 5 || len > sizeof(before)) {
		printf("%zu site records, expected 5\n", n);
		return 1;
	}
	memcpy(before, __start_staticcall_sites, len);
	if (ni < n) {
		printf("index of %zu slots for %zu records\n", ni, n);
		bad = 1;
	}
	perms((uintptr_t)__start_staticcall_sites, p);
	if (p[0] != 'r' || p[1] != '-') {
		printf("table mapped '%s', not read-only\n", p);
		bad = 1;
	}
	if (caller(5) != 127 || tail(7) != 42 || use_pick(1) != 6) {
		printf("wrong results before any update\n");
		bad = 1;
	}
	if (staticcall_update(work, work2) || staticcall_update(pick, pick2) ||
	    staticcall_status()) {
		printf("update refused (status %d)\n", staticcall_status());
		return 1;
	}
	if (caller(5) != 215 || tail(7) != 210 || use_pick(1) != 9) {
		printf("wrong results after the updates: %d %d %d\n",
		       caller(5), tail(7), use_pick(1));
		bad = 1;
	}
	if (staticcall_reset(work) || staticcall_reset(pick) ||
	    caller(5) != 127 || tail(7) != 42 || use_pick(1) != 6) {
		printf("wrong results after reset\n");
		bad = 1;
	}
	if (memcmp(before, __start_staticcall_sites, len)) {
		printf("the table was written\n");
		bad = 1;
	}
	if (!bad)
		printf("ok\n");
	return bad;
}
