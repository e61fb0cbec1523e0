/*
 * baremetal/platform.c - the struct staticcall_platform both kernels give
 * the core, built on a few per-CPU primitives (<cpu>/platform.c).
 *
 *   lock/unlock   NULL: the core's own spinlock (only CPU 0 updates)
 *   text_open     the CPU's way to write read-only text in place
 *   text_close    back to read-only; the core then publishes (cache
 *                 maintenance on arm64) and calls sync_cores
 *   sync_cores    a generation counter CPU 1 acknowledges from
 *                 bm_sync_point after its context-synchronising
 *                 instruction (x86-64 cpuid, arm64 isb)
 *   veneer_map    NULL on x86-64: every target is within direct reach of
 *                 the sites (one small image), so the core never needs a
 *                 veneer; powerpc64 gives a static area for its
 *                 TOC-saving stubs, arm64 one in its text for the far
 *                 targets of its BTI test
 *   text_guarded  arm64: its BTI guarded pages (the text, the far page)
 *   bp_prepare    NULL: every x86-64 site is aligned (the plugin's sites),
 *                 so the breakpoint protocol is never needed
 *
 * sync_cores waits for CPU 1; it is bounded by CPU 1 reaching its next
 * sync point, which it does between rounds of calls.  Before CPU 1 runs
 * (registration, the boot-time choice) there is nobody to synchronise.
 */
#include <stdint.h>

#include <staticcall/abi.h>

#include "kernel.h"

static unsigned long sync_gen, sync_ack;
static int cpu1_running;
/* Text written since the last core synchronisation (see refresh_sites). */
static uintptr_t written_lo = UINTPTR_MAX, written_hi;

static void sync_round(void);

/*
 * A guard (x86-64 under qemu, see bm_sites_guard) is complete once CPU 1
 * has acknowledged a round: it is then out of any decode that began
 * before the guard bytes.
 */
static int text_open(uintptr_t start, size_t len)
{
	int err = bm_text_writable(start, len, 1), guarded;

	if (err)
		return err;
	guarded = bm_sites_guard(start, start + len, 1);
	if (guarded < 0) {
		bm_text_writable(start, len, 0);
		return guarded;
	}
	if (guarded && __atomic_load_n(&cpu1_running, __ATOMIC_ACQUIRE))
		sync_round();
	return 0;
}

/* 0: the core's stores are in the text already (nothing to refuse) */
static int text_close(uintptr_t start, size_t len)
{
	bm_sites_guard(start, start + len, 0);
	bm_text_writable(start, len, 0);
	if (start < written_lo)
		written_lo = start;
	if (start + len > written_hi)
		written_hi = start + len;
	return 0;
}

/*
 * qemu's multi-threaded TCG has a race that hardware does not: CPU 1 may
 * be translating a block of the old bytes while CPU 0 writes, and link it
 * after the write has already invalidated what was there; every CPU (the
 * writer too) then keeps running the old bytes until they are written
 * again.  So once CPU 1 has acknowledged a round (it is then out of any
 * translation), the word of every site written is stored again with the
 * same value (bm_site_rewrite: an atomic or of 0, harmless while the other
 * CPU executes it), which makes qemu drop such a stale block, and a second
 * round follows.  The sites come from the kernel's own table (abi.h).  On
 * hardware this costs a locked instruction per site and changes nothing.
 * Without it (-DBM_NO_TCG_REFRESH) both kernels count wrong results:
 * CPU 1 and CPU 0 itself see the previous target after an update
 * returned.
 */
static void refresh_sites(void)
{
	const struct staticcall_site_rec *r;
	uintptr_t site;

	bm_text_writable(written_lo, written_hi - written_lo, 1);
	for (r = bm_sites_start; r < bm_sites_end; r++) {
		site = staticcall_site_addr(r);
		if (site + 8 > written_lo && site < written_hi)
			bm_site_rewrite(site);
	}
	bm_text_writable(written_lo, written_hi - written_lo, 0);
}

/* One round: CPU 1 has synchronised itself after everything written so far. */
static void sync_round(void)
{
	unsigned long g = __atomic_add_fetch(&sync_gen, 1, __ATOMIC_SEQ_CST);

	while (__atomic_load_n(&sync_ack, __ATOMIC_ACQUIRE) != g)
		bm_cpu_relax();
}

static void sync_cores(void)
{
	if (__atomic_load_n(&cpu1_running, __ATOMIC_ACQUIRE)) {
		sync_round();
#ifndef BM_NO_TCG_REFRESH
		if (written_hi) {
			refresh_sites();
			sync_round();
		}
#endif
	}
	written_lo = UINTPTR_MAX;
	written_hi = 0;
}

void bm_sync_point(void)
{
	unsigned long g = __atomic_load_n(&sync_gen, __ATOMIC_ACQUIRE);

	if (g == __atomic_load_n(&sync_ack, __ATOMIC_RELAXED))
		return;
	bm_context_sync();
	__atomic_store_n(&sync_ack, g, __ATOMIC_RELEASE);
}

/* ---- the second CPU, once its boot code has run ---- */

static char cpu1_stack[16384] __attribute__((aligned(16)));
static void (*cpu1_fn)(void);

uintptr_t bm_cpu1_prepare(void (*fn)(void))
{
	cpu1_fn = fn;
	return (uintptr_t)(cpu1_stack + sizeof(cpu1_stack));
}

__attribute__((noreturn)) void bm_cpu1_run(void)
{
	__atomic_store_n(&cpu1_running, 1, __ATOMIC_RELEASE);
	cpu1_fn();
	for (;;)
		;
}

int bm_cpu1_wait(void)
{
	unsigned long spin;

	for (spin = 0; spin < 100000000; spin++) {
		if (__atomic_load_n(&cpu1_running, __ATOMIC_ACQUIRE))
			return 0;
		bm_cpu_relax();
	}
	return -1;
}

#ifndef __x86_64__
/*
 * arm64, powerpc64: a site is one aligned 4-byte instruction, which qemu
 * fetches with one load, so a concurrent store cannot tear it: nothing to
 * guard, and the second store is one atomic 4-byte or.
 */
int bm_sites_guard(uintptr_t lo, uintptr_t hi, int on)
{
	(void)lo;
	(void)hi;
	(void)on;
	return 0;
}

void bm_site_rewrite(uintptr_t site)
{
	__atomic_fetch_or((uint32_t *)site, 0, __ATOMIC_RELAXED);
}
#endif

const struct staticcall_platform bm_platform = {
	.text_open = text_open,
	.text_close = text_close,
	.sync_cores = sync_cores,
#ifdef __powerpc64__
	/* sites whose caller does not save r2 call through stubs */
	.veneer_map = bm_veneer_map,
#endif
#ifdef __aarch64__
	/* far targets of the BTI test (aarch64/platform.c) */
	.veneer_map = bm_veneer_map,
	.text_guarded = bm_text_guarded,
#endif
	.page_size = 4096,
};
