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
 * Core synchronisation (../platform.c): CPU 1 executes isb, a context
 * synchronisation event, before it acknowledges a round; the updater's
 * ic ivau was broadcast to the inner shareable domain and completed by its
 * dsb ish before the round began, so CPU 1 fetches the new instructions.
 */
#include <errno.h>
#include <stdint.h>

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
void bm_exception(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far)
{
	if (exiting)
		bm_exit(3);
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
#define D_PXN		(1ul << 53)
#define D_UXN		(1ul << 54)
#define ATTR_DEVICE	0	/* MAIR attr0: Device-nGnRnE */
#define ATTR_NORMAL	1	/* MAIR attr1: Normal, write-back */

#define RAM_BASE	0x40000000ul
#define MB2		0x200000ul

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
			l3_image[i] = a | normal | D_TABLE | D_RO | D_UXN;
		else
			l3_image[i] = a | normal | D_TABLE | D_PXN | D_UXN;
	}
	l2_ram[(image_2m - RAM_BASE) / MB2] = (uintptr_t)l3_image | D_VALID | D_TABLE;

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

/* ---- entry from boot.S ---- */

void bm_main(void);
void bm_main(void)
{
	mmu_init();
	bm_run();
}
