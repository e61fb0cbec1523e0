/*
 * baremetal/kernel.c - the test every tiny kernel runs, CPU-independent.
 *
 * Five keys, each with a call site and a tail site:
 *   A         long (long): plain targets, return-0, a pushed patch
 *   V         void (long *, long): plain targets and NULL
 *   B0 B1 B2  long (long): retargeted together by batches
 * Every target answers x + its id (ids below), so a result names the
 * target that produced it; return-0 answers 0, and NULL leaves the void
 * key's output at 0.
 *
 * At boot, before the second CPU starts, the kernel registers its site
 * table (read-only, with its index and its bounds as ranges) and picks
 * A's target from a CPU feature.  Then CPU 1 calls every
 * site in a loop while CPU 0 retargets BM_RETARGETS times.  Before each
 * retarget CPU 0 writes the state it is about to reach into hist[step]
 * and publishes step; CPU 1 reads step before (a) and after (b) each call:
 * the result must be the one of some state hist[a - 1 .. b] (update a may
 * still be in progress, and update a - 1 was complete, core
 * synchronisation included, before step a was published).  Anything else
 * is wrong.  CPU 0 checks every site after each retarget for the exact new
 * state.  At the end both CPUs check that a store to the text faults.
 * Then one line: "baremetal <cpu>: N retargets on 2 CPUs, W wrong"
 * (before it, "bm: cpu 0: N retargets so far" every 500: run.sh's hang
 * detector watches for output).
 */
#include <stddef.h>
#include <stdint.h>

#include <staticcall.h>
#include <staticcall/abi.h>

#include "kernel.h"

/* The kernel registers its own sites (staticcall_object_add_tables). */
STATICCALL_REGISTERS_ITSELF;

#ifndef BM_RETARGETS
#define BM_RETARGETS	4000
#endif

enum { KA, KV, KB0, KB1, KB2, NKEYS };

/* Target ids: what x + id tells apart; 0 is return-0 or NULL. */
#define ID_A_DEFAULT	1
#define ID_A_BOOT	21	/* + bm_cpu_feature() */
#define ID_A(i)		(11 + (i))
#define ID_A_PUSH	31
#define ID_V_DEFAULT	41
#define ID_V(i)		(42 + (i))
#define ID_B_DEFAULT(k)	(51 + 10 * (k))
#define ID_B(k, i)	(52 + 10 * (k) + (i))

/* ---- keys and targets ---- */

long key_a(long x) __attribute__((static_call));
long key_a(long x) { return x + ID_A_DEFAULT; }
void key_v(long *out, long x) __attribute__((static_call));
void key_v(long *out, long x) { *out = x + ID_V_DEFAULT; }
long key_b0(long x) __attribute__((static_call));
long key_b0(long x) { return x + ID_B_DEFAULT(0); }
long key_b1(long x) __attribute__((static_call));
long key_b1(long x) { return x + ID_B_DEFAULT(1); }
long key_b2(long x) __attribute__((static_call));
long key_b2(long x) { return x + ID_B_DEFAULT(2); }

static long a_boot0(long x) { return x + ID_A_BOOT; }
static long a_boot1(long x) { return x + ID_A_BOOT + 1; }
static long a_t0(long x) { return x + ID_A(0); }
static long a_t1(long x) { return x + ID_A(1); }
static long a_t2(long x) { return x + ID_A(2); }
static long a_t3(long x) { return x + ID_A(3); }
static long a_push(long x) { return x + ID_A_PUSH; }
static void v_t0(long *out, long x) { *out = x + ID_V(0); }
static void v_t1(long *out, long x) { *out = x + ID_V(1); }
static long b0_t0(long x) { return x + ID_B(0, 0); }
static long b0_t1(long x) { return x + ID_B(0, 1); }
static long b0_t2(long x) { return x + ID_B(0, 2); }
static long b1_t0(long x) { return x + ID_B(1, 0); }
static long b1_t1(long x) { return x + ID_B(1, 1); }
static long b1_t2(long x) { return x + ID_B(1, 2); }
static long b2_t0(long x) { return x + ID_B(2, 0); }
static long b2_t1(long x) { return x + ID_B(2, 1); }
static long b2_t2(long x) { return x + ID_B(2, 2); }

static long (*const a_t[4])(long) = { a_t0, a_t1, a_t2, a_t3 };
static void (*const v_t[2])(long *, long) = { v_t0, v_t1 };
static long (*const b0_t[3])(long) = { b0_t0, b0_t1, b0_t2 };
static long (*const b1_t[3])(long) = { b1_t0, b1_t1, b1_t2 };
static long (*const b2_t[3])(long) = { b2_t0, b2_t1, b2_t2 };

/* ---- the sites: a call site and a tail site per key ---- */

/* An empty asm after the call keeps it from being a tail call. */
#define NOT_TAIL()	__asm__ volatile("" : : : "memory")

#define SITES(name, key)						\
	__attribute__((noinline)) static long call_##name(long x)	\
	{ long r = key(x); NOT_TAIL(); return r; }			\
	__attribute__((noinline)) static long tail_##name(long x)	\
	{ return key(x); }
SITES(a, key_a)
SITES(b0, key_b0)
SITES(b1, key_b1)
SITES(b2, key_b2)

__attribute__((noinline)) static long call_v(long x)
{
	long out = 0;

	key_v(&out, x);
	NOT_TAIL();
	return out;
}

__attribute__((noinline)) static void tail_v_site(long *out, long x)
{
	key_v(out, x);
}

__attribute__((noinline)) static long tail_v(long x)
{
	long out = 0;

	tail_v_site(&out, x);
	NOT_TAIL();
	return out;
}

static const struct probe {
	long (*call)(long);
	int key;
} probes[] = {
	{ call_a, KA }, { tail_a, KA }, { call_v, KV }, { tail_v, KV },
	{ call_b0, KB0 }, { tail_b0, KB0 }, { call_b1, KB1 }, { tail_b1, KB1 },
	{ call_b2, KB2 }, { tail_b2, KB2 },
};
#define NPROBES	(sizeof(probes) / sizeof(probes[0]))

/* ---- output without libc ---- */

void bm_puts(const char *s)
{
	while (*s)
		bm_putc(*s++);
}

static void putu(unsigned long v)
{
	char b[24];
	int i = 0;

	do
		b[i++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (i)
		bm_putc(b[--i]);
}

void bm_putx(uint64_t v)
{
	int i;

	bm_puts("0x");
	for (i = 60; i >= 0; i -= 4)
		bm_putc("0123456789abcdef"[(v >> i) & 15]);
}

static void log_line(const char *msg)
{
	bm_puts(msg);
	bm_puts("\r\n");
}

/* The first site of the table (definition records have none, abi.h). */
static uintptr_t first_site(void)
{
	const struct staticcall_site_rec *r = bm_sites_start;

	while (r + 1 < bm_sites_end && staticcall_site_is_definition(r))
		r++;
	return staticcall_site_addr(r);
}

/* ---- shared state ---- */

/* The registered object: the kernel's own staticcall_sites (kernel.ld). */
static struct staticcall_object kernel_object;
/* Its ranges: every offset of the table is checked against them. */
static struct staticcall_range kernel_ranges[2];

static signed char hist[BM_RETARGETS + 1][NKEYS];
static unsigned long step;		/* published: hist[step] is being reached */
static int done;			/* CPU 0: stop */
static int cpu1_finished;
static unsigned long cpu1_calls, cpu1_wrong;
static long cpu1_bad_result;
static int cpu1_bad_probe = -1;
static unsigned long cpu1_bad_a, cpu1_bad_b;
static int cpu1_text_writable;

static long expect(int id, long x)
{
	return id ? x + id : 0;
}

static int allowed(int key, long x, long r, unsigned long a, unsigned long b)
{
	unsigned long j;

	for (j = a ? a - 1 : 0; j <= b; j++)
		if (expect(hist[j][key], x) == r)
			return 1;
	return 0;
}

static void cpu1_main(void)
{
	unsigned long x = 1, a, b;
	unsigned int i;
	long r;

	for (;;) {
		bm_sync_point();
		if (__atomic_load_n(&done, __ATOMIC_ACQUIRE))
			break;
		for (i = 0; i < NPROBES; i++) {
			x = (x + 7) & 0xfffff;
			a = __atomic_load_n(&step, __ATOMIC_ACQUIRE);
			r = probes[i].call((long)x + 1);
			b = __atomic_load_n(&step, __ATOMIC_ACQUIRE);
			cpu1_calls++;
			if (!allowed(probes[i].key, (long)x + 1, r, a, b)) {
				if (!cpu1_wrong++) {
					cpu1_bad_probe = (int)i;
					cpu1_bad_result = r - ((long)x + 1);
					cpu1_bad_a = a;
					cpu1_bad_b = b;
				}
			}
		}
	}
	cpu1_text_writable = !bm_probe_write((void *)first_site());
	__atomic_store_n(&cpu1_finished, 1, __ATOMIC_RELEASE);
	/* parked, still acknowledging the rounds of bm_cpu_tests' updates */
	for (;;)
		bm_sync_point();
}

/* ---- CPU 0 ---- */

static unsigned long bsp_wrong;

/* Every site must give exactly state hist[step]. */
static void check_all(const char *when)
{
	unsigned int i;
	long x = 1000 + (long)step;

	for (i = 0; i < NPROBES; i++) {
		long r = probes[i].call(x);

		if (r != expect(hist[step][probes[i].key], x)) {
			if (!bsp_wrong++) {
				bm_puts("bm: cpu 0: ");
				bm_puts(when);
				bm_puts(": probe ");
				putu(i);
				bm_puts(" answered id ");
				putu((unsigned long)(r - x));
				bm_puts(" at step ");
				putu(step);
				log_line("");
			}
		}
	}
}

__attribute__((noreturn)) static void fail(const char *what, long err)
{
	bm_puts("bm: ");
	bm_puts(what);
	bm_puts(" failed: ");
	if (err < 0) {
		bm_putc('-');
		err = -err;
	}
	putu((unsigned long)err);
	log_line("");
	bm_exit(2);
}

/* Start step + 1: its state starts as a copy of the current one. */
static signed char *next_state(void)
{
	unsigned int k;

	for (k = 0; k < NKEYS; k++)
		hist[step + 1][k] = hist[step][k];
	return hist[step + 1];
}

static void publish(void)
{
	__atomic_store_n(&step, step + 1, __ATOMIC_RELEASE);
}

static void core_log(const char *msg)
{
	log_line(msg);
}

/*
 * Register the kernel: its read-only table, its index (zero, as the core
 * wants it: the bss clearing of x86-64's loader and arm64's boot.S does
 * it, powerpc64's RAM comes zero from qemu; cleared here once more so no
 * kernel depends on that), its ranges (text, data) and the count of
 * sites the plugin prepared (powerpc64: all of them, so registration
 * reads no text).  O(1): the table is read at the first update.
 */
static int register_kernel(void)
{
	struct staticcall_tables t = {
		.sites_start = bm_sites_start,
		.sites_stop = bm_sites_end,
		.index_start = bm_index_start,
		.index_stop = bm_index_end,
		.ranges = kernel_ranges,
		.nranges = 2,
		.prepared = (size_t)(bm_prepared_end - bm_prepared_start),
	};
	struct staticcall_site_rec *x;

	for (x = bm_index_start; x < bm_index_end; x++)
		x->site = x->key = 0;
	kernel_ranges[0].lo = (uintptr_t)__text_start;
	kernel_ranges[0].hi = (uintptr_t)__text_end;
	kernel_ranges[0].prot = STATICCALL_RANGE_R | STATICCALL_RANGE_X;
	kernel_ranges[1].lo = (uintptr_t)__text_end;
	kernel_ranges[1].hi = (uintptr_t)__image_end;
	kernel_ranges[1].prot = STATICCALL_RANGE_R | STATICCALL_RANGE_W;
#ifdef __powerpc64__
	/* one TOC for the whole kernel: same-TOC targets get a direct bl */
	__asm__("mr %0,2" : "=r"(t.toc));
#endif
	return staticcall_object_add_tables(&kernel_object, &t);
}

__attribute__((noreturn)) void bm_run(void)
{
	static struct staticcall_patch patch;
	struct staticcall_retarget batch[4];
	int a_base = ID_A_DEFAULT, err = 0, text_writable;
	unsigned long n;
	signed char *st;
	unsigned int k, r;

	staticcall_set_log(core_log);
	staticcall_set_platform(&bm_platform);
	err = register_kernel();
	if (err)
		fail("staticcall_object_add_tables", err);
	hist[0][KA] = ID_A_DEFAULT;
	hist[0][KV] = ID_V_DEFAULT;
	for (k = 0; k < 3; k++)
		hist[0][KB0 + k] = (signed char)ID_B_DEFAULT(k);
	check_all("registration");

	/* The boot-time choice, made before the second CPU runs any site. */
	err = bm_cpu_feature() ? staticcall_update(key_a, a_boot1)
			       : staticcall_update(key_a, a_boot0);
	if (err)
		fail("boot-time staticcall_update", err);
	hist[0][KA] = (signed char)(ID_A_BOOT + bm_cpu_feature());
	a_base = hist[0][KA];
	check_all("boot-time choice");
	if (staticcall_query(key_a) != (bm_cpu_feature() ? a_boot1 : a_boot0))
		fail("boot-time staticcall_query", 0);

	if (bm_start_cpu1(cpu1_main))
		fail("starting CPU 1", -1);

	for (n = 0; n < BM_RETARGETS; n++) {
		/* progress, for run.sh's hang detector (silence, not time) */
		if (n && n % 500 == 0) {
			bm_puts("bm: cpu 0: ");
			putu(n);
			log_line(" retargets so far");
		}
		r = (unsigned int)(n / 10);
		st = next_state();
		switch (n % 10) {
		case 0:		/* a plain target */
			st[KA] = (signed char)(a_base = ID_A(r % 4));
			publish();
			err = staticcall_update(key_a, a_t[r % 4]);
			break;
		case 1:		/* a patch over it */
			st[KA] = ID_A_PUSH;
			publish();
			err = staticcall_push(&patch, key_a, a_push);
			break;
		case 2:		/* return-0 under the patch: nothing that runs changes */
			a_base = 0;
			publish();
			err = staticcall_update_ret0(key_a);
			break;
		case 3:		/* pop: the base (return-0) runs */
			st[KA] = (signed char)a_base;
			publish();
			err = staticcall_pop(&patch);
			break;
		case 4:
			st[KV] = (signed char)ID_V(r % 2);
			publish();
			err = staticcall_update(key_v, v_t[r % 2]);
			break;
		case 5:		/* NULL: the void key's calls do nothing */
			st[KV] = 0;
			publish();
			err = staticcall_update_null(key_v);
			break;
		case 6:		/* a batch of the three B keys */
			for (k = 0; k < 3; k++)
				st[KB0 + k] = (signed char)ID_B(k, (r + k) % 3);
			batch[0] = STATICCALL_RETARGET(key_b0, b0_t[r % 3]);
			batch[1] = STATICCALL_RETARGET(key_b1, b1_t[(r + 1) % 3]);
			batch[2] = STATICCALL_RETARGET(key_b2, b2_t[(r + 2) % 3]);
			publish();
			err = staticcall_update_batch(batch, 3);
			break;
		case 7:		/* a batch across kinds of keys */
			st[KA] = (signed char)(a_base = ID_A((r + 1) % 4));
			st[KV] = (signed char)ID_V((r + 1) % 2);
			st[KB0] = (signed char)ID_B_DEFAULT(0);
			st[KB1] = (signed char)ID_B(1, r % 3);
			batch[0] = STATICCALL_RETARGET(key_a, a_t[(r + 1) % 4]);
			batch[1] = STATICCALL_RETARGET(key_v, v_t[(r + 1) % 2]);
			batch[2] = STATICCALL_RETARGET(key_b0, key_b0);
			batch[3] = STATICCALL_RETARGET(key_b1, b1_t[r % 3]);
			publish();
			err = staticcall_update_batch(batch, 4);
			break;
		case 8:
			st[KV] = ID_V_DEFAULT;
			publish();
			err = staticcall_reset(key_v);
			break;
		case 9:
			st[KA] = (signed char)(a_base = ID_A_DEFAULT);
			publish();
			err = staticcall_reset(key_a);
			break;
		}
		if (err)
			fail("retarget", err);
		check_all("retarget");
	}

	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&cpu1_finished, __ATOMIC_ACQUIRE))
		;
	if (cpu1_wrong) {
		bm_puts("bm: cpu 1: first wrong result: probe ");
		putu((unsigned long)cpu1_bad_probe);
		bm_puts(" answered id ");
		bm_putx((uint64_t)cpu1_bad_result);
		bm_puts(" between steps ");
		putu(cpu1_bad_a);
		bm_puts(" and ");
		putu(cpu1_bad_b);
		log_line("");
	}
	if (cpu1_calls < BM_RETARGETS) {
		bm_puts("bm: cpu 1 made only ");
		putu(cpu1_calls);
		log_line(" calls");
	}
	/* text is read-only again on both CPUs, sites and code alike, and
	   so is the site table (the core indexed it without writing it) */
	text_writable = bm_text_protected &&
		(!bm_probe_write((void *)first_site()) ||
		 !bm_probe_write((void *)(uintptr_t)bm_run) ||
		 !bm_probe_write(bm_sites_start) || cpu1_text_writable);
	if (text_writable)
		log_line("bm: text or the site table is writable after the updates");
	if (staticcall_object_status(&kernel_object))
		fail("staticcall_object_status", staticcall_object_status(&kernel_object));
	bm_puts("baremetal ");
	bm_puts(bm_cpu_name);
	bm_puts(": ");
	putu(n);
	bm_puts(" retargets on 2 CPUs, ");
	putu(cpu1_wrong + bsp_wrong);
	log_line(" wrong");
	bm_exit(bm_cpu_tests(cpu1_wrong + bsp_wrong ||
			     cpu1_calls < BM_RETARGETS || text_writable ? 1 : 0));
}

/* No tests of its own unless the CPU's platform.c has some. */
__attribute__((weak)) int bm_cpu_tests(int status)
{
	return status;
}
