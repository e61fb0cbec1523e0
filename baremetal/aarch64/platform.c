/*
 * baremetal/aarch64/platform.c - the arm64 kernel's platform on qemu's
 * virt board: page tables and MMU, PL011, semihosting exit, the second
 * CPU (PSCI CPU_ON over HVC, the conduit qemu's virt gives an EL1 guest)
 * and the primitives of ../platform.c.
 *
 * Memory: an identity map, 4 KB granule, 39-bit addresses, the same
 * tables on both CPUs: the first GB (PL011, GIC) Device-nGnRnE and
 * never executable; RAM (1-2 GB) Normal write-back, inner shareable, not
 * executable, except the kernel's text and read-only data, mapped by
 * 4 KB pages read-only and executable.
 *
 * Text writing: bm_text_writable switches the text pages of a window to
 * read-write (AP[2] clear) and back, each change followed by an
 * invalidation of the updater's own TLB entry (tlbi vae1, dsb nsh, isb); a
 * permission change of a valid entry needs no break-before-make.  CPU 1
 * drops its own TLB when it acknowledges the next round, so an entry it
 * may have walked while the window was open does not outlive the update.
 * (A broadcast tlbi vae1is per page made every update a stop-the-world
 * under qemu: 100 rounds a second instead of thousands.)  The core's back
 * end cleans and invalidates the written lines (dc cvau, dsb ish, ic ivau,
 * dsb ish, isb) before sync_cores.
 *
 * BTI (built with -mbranch-protection=standard, qemu -cpu max): the text
 * pages are guarded (GP, bit 50 of the stage-1 descriptors) and
 * SCTLR_EL1.BT1 is set, so every indirect branch into the text must land
 * on a bti c/j/jc (or paciasp/pacibsp for a BR through x16/x17 or a
 * BLR).  bm_cpu_tests then retargets a key through veneers (in the text,
 * bm_veneer_area) to targets 256 MB away (a guarded, executable 2 MB
 * block), with and without landing pads; its negative control faults.
 *
 * Core synchronisation (../platform.c): CPU 1 executes isb, a context
 * synchronisation event, before it acknowledges a round; the updater's
 * ic ivau was broadcast to the inner shareable domain and completed by its
 * dsb ish before the round began, so CPU 1 fetches the new instructions.
 */
#include <errno.h>
#include <stdint.h>

#include <staticcall.h>

#include "../kernel.h"

const char bm_cpu_name[] = "aarch64";
const int bm_text_protected = 1;

#define sysreg_read(name) __extension__ ({				\
	uint64_t __v;							\
	__asm__ volatile("mrs %0, " #name : "=r"(__v));			\
	__v;								\
})

/* ---- PL011, exit ---- */

#define UART_BASE	0x09000000ul
#define UART_DR		0x00
#define UART_FR		0x18
#define UART_FR_TXFF	(1u << 5)

void bm_putc(char c)
{
	volatile uint32_t *uart = (volatile uint32_t *)UART_BASE;

	while (uart[UART_FR / 4] & UART_FR_TXFF)
		;
	uart[UART_DR / 4] = (uint32_t)(unsigned char)c;
}

#define PSCI_CPU_ON		0xc4000003ul
#define PSCI_SYSTEM_OFF		0x84000008ul
#define SEMIHOST_SYS_EXIT	0x18
#define ADP_APPLICATION_EXIT	0x20026

static long psci(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("hvc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3)
			 : "memory");
	return (long)x0;
}

static int exiting;

/*
 * Semihosting SYS_EXIT (qemu -semihosting) carries the status; without
 * semihosting the hlt traps (bm_exception), and PSCI SYSTEM_OFF ends the
 * run with status 0, the result line already printed.
 */
__attribute__((noreturn)) void bm_exit(int status)
{
	static uint64_t block[2];
	register uint64_t x0 __asm__("x0") = SEMIHOST_SYS_EXIT;
	register uint64_t x1 __asm__("x1") = (uintptr_t)block;

	if (!exiting++) {
		block[0] = ADP_APPLICATION_EXIT;
		block[1] = (uint64_t)status;
		__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	}
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfe");
}

void bm_exception(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far);
static int bti_expect_fault;	/* the negative control's call is running */
static int bti_status;		/* the status to exit with when it faults */
static uintptr_t bti_nopad;	/* where it must fault */
#define ESR_EC_BTI	0x0d	/* Branch Target exception */

void bm_exception(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far)
{
	if (exiting)
		bm_exit(3);
	if (bti_expect_fault && (esr >> 26) == ESR_EC_BTI) {
		int at_target = elr == bti_nopad;

		bm_puts("baremetal aarch64: bti negative control: ");
		bm_puts(at_target ? "missing landing pad faults: esr "
				  : "a Branch Target exception elsewhere: esr ");
		bm_putx(esr);
		bm_puts(" (BTYPE ");
		bm_putx(esr & 3);
		bm_puts(") elr ");
		bm_putx(elr);
		bm_puts("\r\n");
		bm_exit(at_target && (esr & 3) == 1 ? bti_status : 1);
	}
	bm_puts("bm: exception: vector ");
	bm_putx(vector);
	bm_puts(" esr ");
	bm_putx(esr);
	bm_puts(" elr ");
	bm_putx(elr);
	bm_puts(" far ");
	bm_putx(far);
	bm_puts("\r\n");
	bm_exit(3);
}

int bm_cpu_feature(void)
{
	return ((sysreg_read(id_aa64isar0_el1) >> 16) & 0xf) != 0;	/* CRC32 */
}

/* ---- page tables ---- */

#define D_VALID		(1ul << 0)
#define D_TABLE		(1ul << 1)	/* table (levels 1, 2) or page (level 3) */
#define D_ATTR(i)	((uint64_t)(i) << 2)
#define D_RO		(1ul << 7)	/* AP[2]: read-only */
#define D_ISH		(3ul << 8)
#define D_AF		(1ul << 10)
#define D_GP		(1ul << 50)	/* BTI guarded page */
#define D_PXN		(1ul << 53)
#define D_UXN		(1ul << 54)
#define ATTR_DEVICE	0	/* MAIR attr0: Device-nGnRnE */
#define ATTR_NORMAL	1	/* MAIR attr1: Normal, write-back */

#define RAM_BASE	0x40000000ul
#define MB2		0x200000ul
/* the far targets: 256 MB into RAM, beyond a bl's 128 MB from the image */
#define FAR_BASE	(RAM_BASE + 0x10000000ul)

#if defined(__ARM_FEATURE_BTI_DEFAULT) && __ARM_FEATURE_BTI_DEFAULT
# define BM_BTI		1
# define TEXT_GP	D_GP
#else
# define BM_BTI		0
# define TEXT_GP	0
#endif
#define SCTLR_BT1	(1ul << 36)	/* paciasp/pacibsp refuse BTYPE 11 */

extern char __image_start[], __text_start[], __text_end[], __image_end[];

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2_ram[512] __attribute__((aligned(4096)));
static uint64_t l3_image[512] __attribute__((aligned(4096)));

/* CPU 1's boot block (boot.S bm_cpu1_start). */
static struct {
	uint64_t sp, ttbr0, tcr, mair, sctlr;
} cpu1_boot;

void bm_mmu_on(uint64_t ttbr0, uint64_t tcr, uint64_t mair, uint64_t sctlr);

static void mmu_init(void)
{
	uintptr_t image_2m = (uintptr_t)__image_start & ~(MB2 - 1);
	uint64_t normal = D_VALID | D_ATTR(ATTR_NORMAL) | D_ISH | D_AF;
	uint64_t parange = sysreg_read(id_aa64mmfr0_el1) & 0xf;
	unsigned int i;

	l1[0] = 0 | D_VALID | D_ATTR(ATTR_DEVICE) | D_AF | D_PXN | D_UXN;
	l1[1] = (uintptr_t)l2_ram | D_VALID | D_TABLE;
	for (i = 0; i < 512; i++)
		l2_ram[i] = (RAM_BASE + i * MB2) | normal | D_PXN | D_UXN;
	for (i = 0; i < 512; i++) {
		uintptr_t a = image_2m + ((uintptr_t)i << 12);

		if (a >= (uintptr_t)__text_start && a < (uintptr_t)__text_end)
			l3_image[i] = a | normal | D_TABLE | D_RO | D_UXN | TEXT_GP;
		else
			l3_image[i] = a | normal | D_TABLE | D_PXN | D_UXN;
	}
	l2_ram[(image_2m - RAM_BASE) / MB2] = (uintptr_t)l3_image | D_VALID | D_TABLE;
	/* the far targets: writable and executable, guarded like the text */
	l2_ram[(FAR_BASE - RAM_BASE) / MB2] = FAR_BASE | normal | D_UXN | TEXT_GP;

	cpu1_boot.ttbr0 = (uintptr_t)l1;
	cpu1_boot.mair = (0xfful << (8 * ATTR_NORMAL)) | (0x00ul << (8 * ATTR_DEVICE));
	cpu1_boot.tcr = 25			/* T0SZ: 39-bit addresses */
		| (1ul << 8) | (1ul << 10)	/* walks write-back cacheable */
		| (3ul << 12)			/* inner shareable */
		| (1ul << 23)			/* EPD1: no TTBR1 walks */
		| ((parange > 5 ? 5 : parange) << 32);	/* IPS */
	cpu1_boot.sctlr = (sysreg_read(sctlr_el1)
			   | (1ul << 0) | (1ul << 2) | (1ul << 12))	/* M C I */
			  & ~((1ul << 1) | (1ul << 19));		/* A WXN */
	if (BM_BTI)
		cpu1_boot.sctlr |= SCTLR_BT1;
	__asm__ volatile("dsb ish" : : : "memory");
	bm_mmu_on(cpu1_boot.ttbr0, cpu1_boot.tcr, cpu1_boot.mair, cpu1_boot.sctlr);
}

/* ---- primitives of ../platform.c ---- */

int bm_text_writable(uintptr_t start, size_t len, int on)
{
	uintptr_t image_2m = (uintptr_t)__image_start & ~(MB2 - 1);
	uintptr_t a;

	for (a = start & ~0xffful; a < start + len; a += 4096) {
		uint64_t *pte;

		if (a < (uintptr_t)__text_start || a >= (uintptr_t)__text_end)
			return -EPERM;	/* not the kernel's text */
		pte = &l3_image[(a - image_2m) >> 12];
		*pte = on ? *pte & ~D_RO : *pte | D_RO;
		/* this CPU's TLB only: CPU 1 never writes text, and drops
		 * its entries when it acknowledges the next round */
		__asm__ volatile("dsb ishst\n\ttlbi vae1, %0\n\tdsb nsh\n\tisb"
				 : : "r"(a >> 12) : "memory");
	}
	return 0;
}

/*
 * isb: the context synchronisation event.  Before it, this CPU drops its
 * own TLB entries: one it may have walked while a window had the text
 * read-write goes (bm_text_writable invalidates the updater's TLB only).
 */
void bm_context_sync(void)
{
	__asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" : : : "memory");
}

void bm_cpu_relax(void)
{
	__asm__ volatile("yield");
}

/* ---- the second CPU ---- */

void bm_cpu1_start(void);
void bm_cpu1_entry(void);
void bm_cpu1_entry(void)
{
	bm_cpu1_run();
}

int bm_start_cpu1(void (*fn)(void))
{
	uintptr_t p;

	cpu1_boot.sp = bm_cpu1_prepare(fn);
	/* CPU 1 reads its boot block with the MMU (and its caches) off */
	for (p = (uintptr_t)&cpu1_boot & ~63ul;
	     p < (uintptr_t)&cpu1_boot + sizeof(cpu1_boot); p += 64)
		__asm__ volatile("dc civac, %0" : : "r"(p) : "memory");
	__asm__ volatile("dsb ish" : : : "memory");
	if (psci(PSCI_CPU_ON, 1, (uintptr_t)bm_cpu1_start, (uintptr_t)&cpu1_boot))
		return -1;
	return bm_cpu1_wait();
}

/* ---- BTI: veneers to far targets (bm_cpu_tests) ---- */

extern unsigned char bm_veneer_area[16384];

int bm_veneer_map(uintptr_t lo, uintptr_t hi, uintptr_t reach, size_t size,
		  uintptr_t *addr)
{
	uintptr_t a = (uintptr_t)bm_veneer_area;
	static int used;

	if (used || size > sizeof(bm_veneer_area) ||
	    hi + reach < a + size || a < lo - reach)
		return -ERANGE;
	used = 1;
	*addr = a;
	return 0;
}

/* 0 in the negative control: a platform that cannot tell */
static int guard_known = BM_BTI;

int bm_text_guarded(uintptr_t addr)
{
	return guard_known &&
	       ((addr >= (uintptr_t)__text_start && addr < (uintptr_t)__text_end) ||
		(addr >= FAR_BASE && addr < FAR_BASE + MB2));
}

/* A key whose sites (a call, a tail call) reach far targets by veneers. */
long bti_key(long x) __attribute__((static_call));
long bti_key(long x) { return x + 100; }

__attribute__((noinline)) static long bti_call(long x)
{
	long r = bti_key(x);

	__asm__ volatile("" : "+r"(r));
	return r;
}

__attribute__((noinline)) static long bti_tail(long x)
{
	return bti_key(x);
}

/* The far targets, answering x + 71, 72, 73. */
#define A64_ADD_X0(imm)	(0x91000000u | ((uint32_t)(imm) << 10))
#define A64_RET		0xd65f03c0u
static const uint32_t far_code[3][4] = {
	{ 0xd503245fu, A64_ADD_X0(71), A64_RET },		/* bti c */
	{ 0xd503233fu, A64_ADD_X0(72), 0xd50323bfu, A64_RET },	/* paciasp..autiasp */
	{ A64_ADD_X0(73), A64_RET },				/* no landing pad */
};

typedef long (*far_fn)(long);

static far_fn far_target(unsigned int i)
{
	return (far_fn)(FAR_BASE + 64 * i);
}

static int bti_check(const char *what, long want)
{
	long a = bti_call(1), b = bti_tail(1);

	if (a == want && b == want)
		return 0;
	bm_puts("bm: bti: ");
	bm_puts(what);
	bm_puts(": call answered ");
	bm_putx((uint64_t)a);
	bm_puts(", tail call ");
	bm_putx((uint64_t)b);
	bm_puts(", want ");
	bm_putx((uint64_t)want);
	bm_puts("\r\n");
	return 1;
}

int bm_cpu_tests(int status)
{
	unsigned int i, j;
	int bad = 0, err;
	uintptr_t p;

	if (!BM_BTI) {
		bm_puts("baremetal aarch64: bti: not built with -mbranch-protection\r\n");
		return status;
	}
	if (((sysreg_read(id_aa64pfr1_el1)) & 0xf) == 0) {
		bm_puts("baremetal aarch64: bti: the CPU has no BTI (qemu -cpu max)\r\n");
		return 1;
	}
	for (i = 0; i < 3; i++)
		for (j = 0; j < 4; j++)
			((volatile uint32_t *)far_target(i))[j] = far_code[i][j];
	for (p = FAR_BASE; p < FAR_BASE + 3 * 64; p += 64)
		__asm__ volatile("dc cvau, %0" : : "r"(p) : "memory");
	__asm__ volatile("dsb ish" : : : "memory");
	for (p = FAR_BASE; p < FAR_BASE + 3 * 64; p += 64)
		__asm__ volatile("ic ivau, %0" : : "r"(p) : "memory");
	__asm__ volatile("dsb ish\n\tisb" : : : "memory");

	bad |= bti_check("default", 101);
	/* bti c and paciasp: a veneer's br x16 lands on either */
	err = staticcall_update(bti_key, far_target(0));
	bad |= err != 0 || bti_check("far target with bti c", 72);
	err = staticcall_update(bti_key, far_target(1));
	bad |= err != 0 || bti_check("far target with paciasp", 73);
	/* no landing pad in a guarded page: refused, the old target stays */
	err = staticcall_update(bti_key, far_target(2));
	bad |= err != -EPERM || bti_check("refused target", 73);
	bm_puts("baremetal aarch64: bti enforced: veneers to far targets with bti c and paciasp called, one without a landing pad refused (");
	bm_puts(err == -EPERM ? "-EPERM" : "not refused");
	bm_puts(")");
	bm_puts(bad ? ", FAILED\r\n" : ", ok\r\n");
	err = staticcall_reset(bti_key);
	bad |= err != 0 || bti_check("back to the default", 101);
	if (bad || status)
		return 1;

	/*
	 * The negative control: a platform that cannot tell guarded pages
	 * gets the veneer built; its first call must fault at the target.
	 */
	guard_known = 0;
	err = staticcall_update(bti_key, far_target(2));
	if (err) {
		bm_puts("bm: bti: negative control: update failed\r\n");
		return 1;
	}
	bti_nopad = (uintptr_t)far_target(2);
	bti_status = status;
	__atomic_store_n(&bti_expect_fault, 1, __ATOMIC_SEQ_CST);
	bti_call(1);
	bm_puts("baremetal aarch64: bti negative control: no fault\r\n");
	return 1;
}

/* ---- entry from boot.S ---- */

void bm_main(void);
void bm_main(void)
{
	mmu_init();
	bm_run();
}
