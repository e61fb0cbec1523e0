/*
 * runtime/linux/platform.c - the hosted Linux platform of the runtime.
 *
 * Gives the freestanding core what it cannot do itself:
 *   - text writing: the writers of text.h (text-nx.c by default, pages
 *     read-write and not executable while the core stores; /proc/self/mem
 *     where the OS refuses that).  See doc/runtime.md, "Text writers".
 *   - core serialisation: membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_
 *     SYNC_CORE), registered once at start-up; falls back to the plain
 *     expedited barrier, and says so, where SYNC_CORE is missing.
 *   - veneer areas within reach of an object's text (mmap with hints);
 *   - arm64: which text is BTI guarded (text_guarded: the loaded object's
 *     GNU property note, as the loader read it);
 *   - the SIGTRAP handler of the x86-64 breakpoint protocol;
 *   - the updater lock (a pthread mutex) and the default log (stderr).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>
#include <linux/membarrier.h>
#if defined(__aarch64__)
#include <elf.h>
#include <link.h>
#include <sys/auxv.h>
#endif

#include "staticcall.h"
#include "staticcall/arch.h"
#include "staticcall/platform.h"
#include "staticcall/host.h"
#include "staticcall/log.h"
#include "hostcpu.h"
#include "text.h"
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif

static pthread_mutex_t update_lock = PTHREAD_MUTEX_INITIALIZER;
static int sync_cmd;		/* membarrier command, 0: none */

void sc_linux_lock(void)
{
	pthread_mutex_lock(&update_lock);
}

void sc_linux_unlock(void)
{
	sc_text_unlocked();
	pthread_mutex_unlock(&update_lock);
}

static void log_stderr(const char *msg)
{
	size_t len = strlen(msg);
	ssize_t r;

	r = write(2, msg, len);
	r = write(2, "\n", 1);
	(void)r;
}

static long membarrier(int cmd, unsigned int flags)
{
	return syscall(__NR_membarrier, cmd, flags, 0);
}

static unsigned long sync_rounds;

/*
 * The membarrier registration, at the first round (called with the
 * updater lock held) rather than at start-up: a program that never
 * retargets makes no system call for it.
 */
static void sync_register(void)
{
	static int done;
	long cmds;

	if (__atomic_load_n(&done, __ATOMIC_ACQUIRE))
		return;
	cmds = membarrier(MEMBARRIER_CMD_QUERY, 0);
	if (cmds > 0 && (cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE) &&
	    !membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0))
		sync_cmd = MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE;
	else if (cmds > 0 && (cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) &&
		 !membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0))
		sync_cmd = MEMBARRIER_CMD_PRIVATE_EXPEDITED;
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
}

void sc_linux_sync_round(void)
{
	sync_register();
	if (sync_cmd)
		membarrier(sync_cmd, 0);
}

static void sync_cores(void)
{
	__atomic_add_fetch(&sync_rounds, 1, __ATOMIC_RELAXED);
	sc_text_flush();
	sc_linux_sync_round();
}

unsigned long staticcall_host_sync_rounds(void)
{
	return __atomic_load_n(&sync_rounds, __ATOMIC_RELAXED);
}

static int in_reach(uintptr_t a, size_t size, uintptr_t lo, uintptr_t hi,
		    uintptr_t reach)
{
	uintptr_t end = a + size;

	return a + size > a &&
	       (a >= hi ? end - lo : hi - a) < reach &&
	       (a >= lo ? end - lo : hi - a) < reach;
}

static int veneer_map(uintptr_t lo, uintptr_t hi, uintptr_t reach,
		      size_t size, uintptr_t *addr)
{
	uintptr_t ps = (uintptr_t)sysconf(_SC_PAGESIZE), d;
	int side;

	size = (size + ps - 1) & ~(ps - 1);
	for (d = 1UL << 20; d < reach; d <<= 1) {
		for (side = 0; side < 2; side++) {
			uintptr_t a = side ? ((lo - d - size) & ~(ps - 1)) :
					     ((hi + d + ps - 1) & ~(ps - 1));
			void *p;

			if ((side && a > lo) || (!side && a < hi) ||
			    !in_reach(a, size, lo, hi, reach))
				continue;
			p = mmap((void *)a, size, PROT_READ | PROT_EXEC,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
				 -1, 0);
			if (p == MAP_FAILED)
				continue;
			if (!in_reach((uintptr_t)p, size, lo, hi, reach)) {
				munmap(p, size);
				continue;
			}
			*addr = (uintptr_t)p;
			return 0;
		}
	}
	staticcall_log("staticcall: no free memory for veneers within reach of %p..%p",
		       (void *)lo, (void *)hi);
	return -ERANGE;
}

static void veneer_unmap(uintptr_t addr, size_t size)
{
	munmap((void *)addr, size);
}

#if defined(__aarch64__)
/*
 * text_guarded, arm64: the page of @addr is BTI guarded when the CPU has
 * BTI and the loaded object whose executable segment holds @addr is
 * marked GNU_PROPERTY_AARCH64_FEATURE_1_BTI in its PT_GNU_PROPERTY note:
 * then the kernel (a static program, the dynamic loader itself) or the
 * dynamic loader (every other object: glibc's _dl_bti_protect) mapped
 * its text PROT_BTI.  An object's own note counts, not the program's:
 * glibc guards each marked object.  Memory no object covers (code a
 * program mapped itself, with or without PROT_BTI) is not known: 0.
 * dl_iterate_phdr, not dladdr: it takes only the loader's list lock, not
 * the lock dlopen holds while running constructors that may register.
 */
struct guard_query {
	uintptr_t addr;
	int guarded;
};

/* 1 when the NT_GNU_PROPERTY_TYPE_0 notes in [@p, @end) (aligned @align)
   have the AArch64 feature BTI (the walk of glibc's dl-prop.h) */
static int note_bti(const unsigned char *p, const unsigned char *end,
		    size_t align)
{
	while (end - p >= (long)sizeof(Elf64_Nhdr)) {
		const Elf64_Nhdr *n = (const Elf64_Nhdr *)p;
		size_t desc = (sizeof(*n) + n->n_namesz + align - 1) & ~(align - 1);
		const unsigned char *q = p + desc, *qend = q + n->n_descsz;

		if (qend > end || qend < q)
			return 0;
		if (n->n_type == NT_GNU_PROPERTY_TYPE_0 && n->n_namesz == 4 &&
		    !memcmp(n + 1, "GNU", 4)) {
			while (qend - q >= 8) {
				uint32_t type, size;

				memcpy(&type, q, 4);
				memcpy(&size, q + 4, 4);
				q += 8;
				if (size > (size_t)(qend - q))
					return 0;
				if (type == GNU_PROPERTY_AARCH64_FEATURE_1_AND &&
				    size == 4) {
					uint32_t f;

					memcpy(&f, q, 4);
					return !!(f & GNU_PROPERTY_AARCH64_FEATURE_1_BTI);
				}
				q += (size + 7) & ~7u;
			}
		}
		p += desc + ((n->n_descsz + align - 1) & ~(align - 1));
	}
	return 0;
}

static int guard_object(struct dl_phdr_info *info, size_t size, void *data)
{
	struct guard_query *g = data;
	int i, inside = 0;

	(void)size;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) &&
		    g->addr >= lo && g->addr - lo < ph->p_memsz)
			inside = 1;
	}
	if (!inside)
		return 0;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const unsigned char *p;

		if (ph->p_type != PT_GNU_PROPERTY)
			continue;
		p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
		g->guarded = note_bti(p, p + ph->p_memsz,
				      ph->p_align > 4 ? ph->p_align : 4);
	}
	return 1;
}

static int text_guarded(uintptr_t addr)
{
	struct guard_query g = { addr, 0 };

	if (!(getauxval(AT_HWCAP2) & HWCAP2_BTI))
		return 0;
	dl_iterate_phdr(guard_object, &g);
	return g.guarded;
}
#endif

/*
 * The trap protocol's signal plumbing, armed only when the back end has
 * the protocol (sc_arch.trap) and the core asks (bp_prepare): a SIGTRAP
 * from the kernel at a site being written is emulated by the core.
 */
static struct sigaction old_trap;

static void trap_handler(int sig, siginfo_t *si, void *ctx)
{
	uintptr_t pc, sp;

	sc_host_regs(ctx, &pc, &sp);
	if (si->si_code == SI_KERNEL && staticcall_bp_handle(&pc, &sp)) {
		sc_host_set_regs(ctx, pc, sp);
		return;
	}
	/* Not ours: hand it on as if we had never been installed. */
	if (old_trap.sa_flags & SA_SIGINFO) {
		old_trap.sa_sigaction(sig, si, ctx);
	} else if (old_trap.sa_handler != SIG_IGN &&
		   old_trap.sa_handler != SIG_DFL) {
		old_trap.sa_handler(sig);
	} else {
		sigaction(SIGTRAP, &old_trap, NULL);
		raise(SIGTRAP);
	}
}

static int bp_prepare(void)
{
	static int installed;
	struct sigaction sa;

	if (installed)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = trap_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTRAP, &sa, &old_trap))
		return -errno;
	installed = 1;
	return 0;
}

static void prepare(void);

/* The core's platform from the start (runtime/glue.c). */
struct staticcall_platform sc_platform_builtin = {
	.lock = sc_linux_lock,
	.unlock = sc_linux_unlock,
	.text_open = sc_text_open_hook,
	.text_close = sc_text_close_hook,
	.text_alias = sc_text_alias_hook,
	.text_forget = sc_text_forget_hook,
	.text_torn = sc_text_torn_hook,
	.text_parked = sc_text_parked_hook,
	.sync_cores = sync_cores,
	.veneer_map = veneer_map,
	.veneer_unmap = veneer_unmap,
	.prepare = prepare,
#if defined(__aarch64__)
	.text_guarded = text_guarded,
#endif
};

/*
 * Set by the main program's staticcall-object.o destructor: at exit() it
 * runs before any shared object's destructor (_dl_fini runs the main map
 * first), and its images stay mapped, so objects then skip moving keys out.
 */
static int exiting;

void staticcall_host_exit_begins(void)
{
	__atomic_store_n(&exiting, 1, __ATOMIC_RELAXED);
}

int staticcall_host_exiting(void)
{
	return __atomic_load_n(&exiting, __ATOMIC_RELAXED);
}

static void init_once(void)
{
	staticcall_log_fn prev;

	sc_platform_builtin.page_size = (size_t)sysconf(_SC_PAGESIZE);
	/* the SIGTRAP handler only where the back end has the trap protocol */
	if (sc_arch.trap)
		sc_platform_builtin.bp_prepare = bp_prepare;
	prev = staticcall_set_log(log_stderr);
	if (prev)	/* the program set its own hook first: keep it */
		staticcall_set_log(prev);
	sc_text_init(sc_platform_builtin.page_size);
}

/* The platform's setup, at the core's first touch (its prepare hook). */
static void prepare(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, init_once);
}

void staticcall_host_init(void)
{
	staticcall_set_platform(&sc_platform_builtin);
	prepare();
}

/* Report which core serialisation this process has (tests, benchmark). */
const char *staticcall_host_sync_method(void)
{
	staticcall_host_init();
	sync_register();
	switch (sync_cmd) {
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE:
		return "membarrier-sync-core";
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
		return "membarrier-expedited";
	}
	return "none";
}
