// SPDX-License-Identifier: GPL-2.0
/*
 * sc_modtest.ko - scripts/linux's test of a module's own inline static
 * call sites of a core key: sc_modtest (patches/0006), which the kernel's
 * self-test moved to sc_modtest_b before any module could load.
 *
 * 1. At load, each of this module's two sites (.static_call_sites,
 *    recorded by the compiler) must be a direct branch to the key's
 *    current target, not to the trampoline, and a call through each must
 *    return what that target returns.
 * 2. The key is then retargeted 1,000 times (sc_modtest_a, sc_modtest_b,
 *    __static_call_return0 in turn) while a kthread bound to CPU 1 calls
 *    through both sites and through sc_modtest_core(), a site of vmlinux
 *    (patches/0006); a call is wrong unless it returns what the target
 *    of an update not yet finished, or of the last one finished, returns,
 *    or (late, counted apart: see count()) the target that one replaced.
 *    Each update waits for one call of the other CPU after the previous
 *    one, so that the two always interleave, however slow either CPU is.
 * 3. After the last update, (1) again with the last target.
 *
 * powerpc64: a module's site calls a stub of the module loader, which
 * enters the target from the module's TOC; the kernel retargets that
 * stub (patches/0008, 0009), and "branches straight to" means the stub
 * goes there.
 *
 * The result is the init's return value (0, or -EINVAL when a check
 * failed or a call was wrong); a line per step says what was seen.
 */
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/cpumask.h>
#include <linux/static_call.h>
#include <asm/barrier.h>
#include <asm/unaligned.h>

extern int sc_modtest_a(int x);
extern int sc_modtest_b(int x);
extern int sc_modtest_core(int x);
DECLARE_STATIC_CALL(sc_modtest, sc_modtest_a);

#define UPDATES	1000
#define ARG	40

/* update g's target: the self-test made it sc_modtest_b (g = 0) */
static void *target(unsigned int g)
{
	void *t[] = { sc_modtest_b, sc_modtest_a, __static_call_return0 };

	return t[g % 3];
}

static int target_result(unsigned int g)
{
	int r[] = { ARG + 2, ARG + 1, 0 };

	return r[g % 3];
}

/* the sites: a call and a tail call (Kbuild turns sibling calls on) */
static noinline int site_call(int x)
{
	int r = static_call(sc_modtest)(x);

	barrier();
	return r;
}

static noinline int site_tail(int x)
{
	return static_call(sc_modtest)(x);
}

/* Where the instruction at SITE branches; NULL if it is no call/tail call. */
static void *site_dest(void *site, bool tail)
{
#if defined(CONFIG_ARM64)
	u32 insn = le32_to_cpu(*(__le32 *)site);

	if ((insn & 0xfc000000) != (tail ? 0x14000000 : 0x94000000))
		return NULL;
	return site + sign_extend64((u64)(insn & 0x03ffffff) << 2, 27);
#elif defined(CONFIG_PPC64)
	u32 *insn = site, *dest;

	/* bl, then the r2 restore (no tail call site: see patches/0009) */
	if (tail || (insn[0] & 0xfc000003) != 0x48000001 || insn[1] != 0xe8410018)
		return NULL;
	dest = site + sign_extend64(insn[0] & 0x03fffffc, 25);
	/*
	 * A stub (module_64.c, struct ppc64_stub_entry): 7 instructions,
	 * the magic "stub", then the global entry point it goes to.
	 */
	if (dest[7] == 0x73747562)
		return (void *)*(unsigned long *)(dest + 8);
	return dest;
#elif defined(CONFIG_X86_64)
	u8 *p = site;

	if (p[0] != (tail ? 0xe9 : 0xe8))
		return NULL;
	return site + 5 + get_unaligned((s32 *)(p + 1));
#else
#error "sc_modtest: no site decoder for this architecture"
#endif
}

/*
 * Every site of the key in this module branches straight to TARGET;
 * the number of sites (2 expected), -1 when one does not.
 */
static int sites_on(void *target, int *tails)
{
	struct static_call_site *s = THIS_MODULE->static_call_sites;
	int i, n = 0;

	*tails = 0;
	for (i = 0; i < THIS_MODULE->num_static_call_sites; i++, s++) {
		void *site = (void *)((long)s->addr + (long)&s->addr);
		unsigned long key = (long)s->key + (long)&s->key;
		bool tail = key & STATIC_CALL_SITE_TAIL;

		key &= ~STATIC_CALL_SITE_FLAGS;
		/* STATIC_CALL_SITE_INDIRECT (patches/0010, powerpc64): a
		   pointer of this module to the key */
		if (key & 4)
			key = *(unsigned long *)(key & ~4UL);
		if ((void *)key != &STATIC_CALL_KEY(sc_modtest))
			continue;
		if (site_dest(site, tail) != target) {
			pr_err("sc_modtest: site %px (%s) does not branch to %px\n",
			       site, tail ? "tail" : "call", target);
			return -1;
		}
		n++;
		*tails += tail;
	}
	return n;
}

static unsigned int started, done;	/* updates begun, finished */
static unsigned long calls, during, late, wrong;

/* R, from a call made after update D finished and before S+1 began */
static bool allowed(int r, unsigned int d, unsigned int s)
{
	unsigned int g;

	for (g = d; g <= s && g - d < 3; g++)
		if (r == target_result(g))
			return true;
	return false;
}

/*
 * A call after update D finished that still reached D's predecessor is
 * late, not wrong: it ran the old instruction although the update had
 * returned and this CPU had resynchronised its fetch (isb).  The
 * architecture does not allow that, qemu's TCG does: another vCPU can
 * translate a block from the bytes being written and keep it until the
 * page is written again (its cross-modifying code race).  Counted and
 * shown apart; any other result is wrong.
 */
#define SHOWN	4
static const char *const site_name[] = { "call", "tail", "vmlinux" };
static struct { int site, r; unsigned int d, s; } bad[SHOWN], slow[SHOWN];

static void count(int site, int r, unsigned int d, unsigned int s)
{
	if (allowed(r, d, s))
		return;
	if (d > 0 && r == target_result(d - 1)) {
		if (late < SHOWN)
			slow[late] = (typeof(slow[0])){ site, r, d, s };
		late++;
		return;
	}
	if (wrong < SHOWN)
		bad[wrong] = (typeof(bad[0])){ site, r, d, s };
	wrong++;
}

static int caller(void *unused)
{
	while (!kthread_should_stop()) {
		unsigned int d = smp_load_acquire(&done), s;
		int r1, r2, r3;

		/*
		 * The update's writes are complete (cache maintenance
		 * included) when done says so; arm64 and powerpc want a
		 * context synchronisation on this CPU before it must fetch
		 * them.
		 */
#ifdef CONFIG_ARM64
		isb();
#elif defined(CONFIG_PPC)
		asm volatile("isync" ::: "memory");
#endif
		r1 = site_call(ARG);
		r2 = site_tail(ARG);
		r3 = sc_modtest_core(ARG);
		smp_rmb();
		s = READ_ONCE(started);
		count(0, r1, d, s);
		count(1, r2, d, s);
		count(2, r3, d, s);
		during += s != d;
		smp_store_release(&calls, calls + 1);
		cond_resched();
	}
	return 0;
}

static int check(const char *when, unsigned int g)
{
	int tails, n = sites_on(target(g), &tails);
	int r1 = site_call(ARG), r2 = site_tail(ARG), r3 = sc_modtest_core(ARG);
	bool ok = n == 2 && r1 == target_result(g) && r2 == target_result(g) &&
		  r3 == target_result(g);

	pr_info("sc_modtest: %s: %d sites (%d tail) %s, calls returned %d %d, vmlinux's %d (%d expected): %s\n",
		when, n, tails, n >= 0 ? "branch to the current target" : "do not",
		r1, r2, r3, target_result(g), ok ? "ok" : "FAIL");
	return ok ? 0 : -EINVAL;
}

static int __init sc_modtest_init(void)
{
	struct task_struct *t;
	unsigned long seen;
	unsigned int g;
	int ret;

	if (static_call_query(sc_modtest) != target(0)) {
		pr_err("sc_modtest: the key is not on sc_modtest_b: the self-test did not run\n");
		return -EINVAL;
	}
	ret = check("at load", 0);
	if (ret)
		return ret;
	if (!cpu_online(1)) {
		pr_err("sc_modtest: needs CPU 1\n");
		return -EINVAL;
	}

	t = kthread_create(caller, NULL, "sc_modtest");
	if (IS_ERR(t))
		return PTR_ERR(t);
	kthread_bind(t, 1);
	set_cpus_allowed_ptr(current, cpumask_of(0));
	wake_up_process(t);

	for (g = 1; g <= UPDATES; g++) {
		seen = smp_load_acquire(&calls);
		while (smp_load_acquire(&calls) == seen)
			cpu_relax();
		WRITE_ONCE(started, g);
		smp_mb();	/* started before the text changes */
		static_call_update(sc_modtest, target(g));
		smp_store_release(&done, g);
	}
	seen = smp_load_acquire(&calls);
	while (smp_load_acquire(&calls) == seen)
		cpu_relax();
	kthread_stop(t);
	set_cpus_allowed_ptr(current, cpu_possible_mask);

	pr_info("sc_modtest: %d updates with CPU 1 calling: %lu calls, %lu during an update, %lu late, %lu wrong\n",
		UPDATES, calls * 3, during * 3, late, wrong);
	for (g = 0; g < SHOWN && g < late; g++)
		pr_info("sc_modtest: late: %s site returned %d (update %u's target), after update %u finished (%d), before %u began\n",
			site_name[slow[g].site], slow[g].r, slow[g].d - 1,
			slow[g].d, target_result(slow[g].d), slow[g].s + 1);
	for (g = 0; g < SHOWN && g < wrong; g++)
		pr_info("sc_modtest: wrong: %s site returned %d, after update %u finished (%d), before %u began\n",
			site_name[bad[g].site], bad[g].r, bad[g].d,
			target_result(bad[g].d), bad[g].s + 1);
	ret = check("after", UPDATES);
	return wrong ? -EINVAL : ret;
}
module_init(sc_modtest_init);

MODULE_DESCRIPTION("staticcall: a module's inline static call sites of a core key");
MODULE_LICENSE("GPL");
