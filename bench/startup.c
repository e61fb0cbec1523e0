/*
 * startup.c - the start-up benchmark (`make bench-startup`): runs each
 * program bench/gen-startup.sh made (10^3, 10^4, 10^5 sites of one key,
 * with and without the plugin) and bench/many-objects (one key with a
 * site in each of 300 shared objects) many times as separate processes,
 * and prints one table of medians: start-up (a .preinit_array entry, run
 * before every constructor, to main), the pages of the text and table
 * mappings written by then (copies-on-write, /proc/self/smaps), the first
 * update and a later one, and the ratio to the same program built
 * without the plugin (run in turns with it).
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

/* One run of @prog into @r (0), -1 when it fails. */
static int run_once(const char *prog, struct run *r)
{
	FILE *p = popen(prog, "r");
	int ok;

	if (!p)
		return -1;
	ok = fscanf(p, "startup_ns=%ld text_dirty_kb=%ld table_dirty_kb=%ld first_ns=%ld later_ns=%ld",
		    &r->startup, &r->text_kb, &r->table_kb, &r->first, &r->later) == 5;
	if (pclose(p) || !ok) {
		fprintf(stderr, "%s: failed\n", prog);
		return -1;
	}
	return 0;
}

/*
 * Run @n programs @runs times each, taking turns (so a noisy stretch of
 * the machine falls on all of them alike); medians into @m[].
 */
static int measure(const char *const *prog, int n, int runs, struct run *m)
{
	long s[2][runs], t[2][runs], k[2][runs], f[2][runs], l[2][runs];
	int i, j;

	for (i = 0; i < runs; i++)
		for (j = 0; j < n; j++) {
			struct run r;

			if (run_once(prog[j], &r))
				return -1;
			s[j][i] = r.startup;
			t[j][i] = r.text_kb;
			k[j][i] = r.table_kb;
			f[j][i] = r.first;
			l[j][i] = r.later;
		}
	for (j = 0; j < n; j++) {
		m[j].startup = median(s[j], runs);
		m[j].text_kb = median(t[j], runs);
		m[j].table_kb = median(k[j], runs);
		m[j].first = median(f[j], runs);
		m[j].later = median(l[j], runs);
	}
	return 0;
}

static void us(char *buf, size_t n, long ns)
{
	if (ns < 0)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.1f", ns / 1000.0);
}

static void print_row(const char *name, const struct run *m, long base)
{
	char a[32], b[32], c[32], ratio[32], fl[32];

	us(a, sizeof(a), m->startup);
	us(b, sizeof(b), m->first);
	us(c, sizeof(c), m->later);
	snprintf(ratio, sizeof(ratio), "%.2f", base ? (double)m->startup / base : 0.0);
	if (m->first > 0 && m->later > 0)
		snprintf(fl, sizeof(fl), "%.2f", (double)m->first / m->later);
	else
		snprintf(fl, sizeof(fl), "-");
	printf("%-22s %10s %10s %13ld %14ld %10s %10s %11s\n", name, a, ratio,
	       m->text_kb, m->table_kb, b, c, fl);
}

int main(int argc, char **argv)
{
	static const char *const sizes[] = { "1000", "10000", "100000" };
	const char *dir = argc > 1 ? argv[1] : "bench";
	int runs = argc > 2 ? atoi(argv[2]) : 51, i, err = 0;
	char with[4096], without[4096], many[4096];
	long base0 = 0;

	if (runs < 1)
		runs = 1;
	printf("start-up benchmark, median of %d process runs each (each pair taking turns)\n",
	       runs);
	printf("%-22s %10s %10s %13s %14s %10s %10s %11s\n", "program", "start us",
	       "vs plugin-", "text kB cow", "table kB cow", "first us",
	       "later us", "first/later");
	for (i = 0; i < 3; i++) {
		const char *prog[2] = { without, with };
		struct run m[2];

		snprintf(without, sizeof(without), "%s/startup-%s-noplugin", dir, sizes[i]);
		snprintf(with, sizeof(with), "%s/startup-%s", dir, sizes[i]);
		if (measure(prog, 2, runs, m)) {
			err = 1;
			continue;
		}
		if (!i)
			base0 = m[0].startup;
		print_row(strrchr(without, '/') + 1, &m[0], m[0].startup);
		print_row(strrchr(with, '/') + 1, &m[1], m[0].startup);
	}
	{
		const char *prog[1] = { many };
		struct run m;

		snprintf(many, sizeof(many), "cd %s && LD_LIBRARY_PATH=.:../.libs ./many-objects", dir);
		if (measure(prog, 1, runs, &m))
			err = 1;
		else
			print_row("many-objects (300 .so)", &m, base0);
	}
	printf("(vs plugin-: start-up against the same program built without the plugin;\n"
	       " many-objects against startup-1000-noplugin)\n");
	return err;
}
