/*
 * startup.c - the start-up benchmark (`make bench-startup`): runs each
 * program bench/gen-startup.sh made (10^3, 10^4, 10^5 sites of one key,
 * with and without the plugin) and bench/many-objects (one key with a
 * site in each of 300 shared objects) many times as separate processes,
 * and prints one table of medians: start-up (a .preinit_array entry, run
 * before every constructor, to main), the pages of the text and table
 * mappings written by then (copies-on-write, /proc/self/smaps), the first
 * update and a later one, and the ratio to the plugin-less program.
 * Usage: staticcall-startup DIR RUNS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct run {
	long startup, text_kb, table_kb, first, later;
};

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

static long median(long *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_long);
	return v[n / 2];
}

/* Run @prog @runs times; medians into @m. */
static int measure(const char *prog, int runs, struct run *m)
{
	long s[runs], t[runs], k[runs], f[runs], l[runs];
	int i;

	for (i = 0; i < runs; i++) {
		FILE *p = popen(prog, "r");
		int ok;

		if (!p)
			return -1;
		ok = fscanf(p, "startup_ns=%ld text_dirty_kb=%ld table_dirty_kb=%ld first_ns=%ld later_ns=%ld",
			    &s[i], &t[i], &k[i], &f[i], &l[i]) == 5;
		if (pclose(p) || !ok) {
			fprintf(stderr, "%s: failed\n", prog);
			return -1;
		}
	}
	m->startup = median(s, runs);
	m->text_kb = median(t, runs);
	m->table_kb = median(k, runs);
	m->first = median(f, runs);
	m->later = median(l, runs);
	return 0;
}

static void us(char *buf, size_t n, long ns)
{
	if (ns < 0)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.1f", ns / 1000.0);
}

int main(int argc, char **argv)
{
	static const char *const sizes[] = { "1000", "10000", "100000" };
	const char *dir = argc > 1 ? argv[1] : "bench";
	int runs = argc > 2 ? atoi(argv[2]) : 21, i, err = 0;
	struct run base0 = { 0, 0, 0, 0, 0 };
	char prog[4096];

	if (runs < 1)
		runs = 1;
	printf("start-up benchmark, median of %d process runs each\n", runs);
	printf("%-22s %10s %8s %13s %14s %10s %10s %11s\n", "program", "start us",
	       "vs 10^3", "text kB cow", "table kB cow", "first us", "later us",
	       "first/later");
	for (i = 0; i < 7; i++) {
		struct run m;
		char a[32], b[32], c[32], ratio[32], fl[32];
		const char *name;

		if (i < 6) {
			snprintf(prog, sizeof(prog), "%s/startup-%s%s", dir,
				 sizes[i / 2], i % 2 ? "" : "-noplugin");
			name = strrchr(prog, '/') + 1;
		} else {
			snprintf(prog, sizeof(prog), "cd %s && LD_LIBRARY_PATH=.:../.libs ./many-objects", dir);
			name = "many-objects (300 .so)";
		}
		if (measure(prog, runs, &m)) {
			err = 1;
			continue;
		}
		if (i == 0)
			base0 = m;
		us(a, sizeof(a), m.startup);
		us(b, sizeof(b), m.first);
		us(c, sizeof(c), m.later);
		snprintf(ratio, sizeof(ratio), "%.2f",
			 base0.startup ? (double)m.startup / base0.startup : 0.0);
		if (m.first > 0 && m.later > 0)
			snprintf(fl, sizeof(fl), "%.2f", (double)m.first / m.later);
		else
			snprintf(fl, sizeof(fl), "-");
		printf("%-22s %10s %8s %13ld %14ld %10s %10s %11s\n", name, a, ratio,
		       m.text_kb, m.table_kb, b, c, fl);
	}
	return err;
}
