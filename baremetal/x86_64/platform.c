/*
 * baremetal/x86_64/platform.c - the x86-64 kernel's platform: page tables,
 * COM1, isa-debug-exit, the second CPU (INIT-SIPI-SIPI through the local
 * APIC) and the hooks it gives the staticcall core.
 *
 * Text writing: the kernel's text pages are mapped read-only and CR0.WP is
 * set on both CPUs, so nothing writes them by accident.  text_open clears
 * CR0.WP on the updating CPU only (supervisor writes then ignore the R/W
 * bit); the other CPU keeps running the text through the same read-only
 * mapping.  text_close sets CR0.WP again.  The updater's stores are the
 * core's (one atomic 8-byte store per aligned site).
 *
 * Core synchronisation: a generation counter.  sync_cores bumps it and
 * waits until CPU 1 acknowledges it from bm_sync_point, after executing
 * cpuid (a serialising instruction: no stale prefetched or decoded bytes of
 * a modified site survive it).  The wait is bounded only by CPU 1 reaching
 * its next sync point, which it does between every round of calls.
 */
#include <stdint.h>

#include <staticcall/abi.h>

#include "../kernel.h"

const char bm_cpu_name[] = "x86_64";

/* ---- port I/O, COM1, exit ---- */

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#define COM1	0x3f8

static void serial_init(void)
{
	outb(COM1 + 1, 0x00);	/* no interrupts */
	outb(COM1 + 3, 0x80);	/* DLAB */
	outb(COM1 + 0, 0x01);	/* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);	/* 8N1 */
	outb(COM1 + 2, 0xc7);	/* FIFO */
	outb(COM1 + 4, 0x03);
}

void bm_putc(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (uint8_t)c);
}

/* isa-debug-exit at 0xf4: qemu exits with (value << 1) | 1. */
__attribute__((noreturn)) void bm_exit(int status)
{
	outb(0xf4, (uint8_t)status);
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* ---- CPU ---- */

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b,
			 uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid"
			 : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			 : "a"(leaf), "c"(0)
			 : "memory");
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)));
}

static inline uint64_t read_cr0(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

#define CR0_WP		(1ul << 16)
#define MSR_EFER	0xc0000080
#define EFER_NXE	(1ul << 11)

int bm_cpu_feature(void)
{
	uint32_t a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	return (c >> 20) & 1;	/* SSE4.2 (crc32 instruction) */
}

/* ---- page tables ---- */

#define PTE_P		0x001ul
#define PTE_W		0x002ul
#define PTE_NX		(1ul << 63)

extern uint64_t boot_pd[];	/* boot.S: 4 x 512 PDEs of 2 MB */
extern char __image_start[], __text_start[], __text_end[], __image_end[];
extern char bm_tramp_start[], bm_tramp_end[];
extern uint64_t bm_tramp_cr3[], bm_tramp_stack[];
extern uint32_t bm_tramp_efer[];

/* The first 2 MB in 4 KB pages: the kernel image lives at 1 MB. */
static uint64_t low_pt[512] __attribute__((aligned(4096)));
static int have_nx;

/*
 * Text (and the read-only data after it) read-only and executable; the
 * rest of the image writable and, with NX, not executable.  Below 1 MB:
 * writable and executable (the trampoline runs at 0x8000).
 */
static void mmu_init(void)
{
	uintptr_t a;
	uint32_t eax, ebx, ecx, edx;
	uint64_t cr3;
	unsigned int i;

	cpuid(0x80000000, &eax, &ebx, &ecx, &edx);
	if (eax >= 0x80000001) {
		cpuid(0x80000001, &eax, &ebx, &ecx, &edx);
		have_nx = (edx >> 20) & 1;
	}
	if (have_nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	for (i = 0; i < 512; i++) {
		uint64_t flags = PTE_P | PTE_W;

		a = (uintptr_t)i << 12;
		if (a >= (uintptr_t)__text_start && a < (uintptr_t)__text_end)
			flags = PTE_P;
		else if (a >= (uintptr_t)__image_start && have_nx)
			flags |= PTE_NX;
		low_pt[i] = a | flags;
	}
	boot_pd[0] = (uintptr_t)low_pt | PTE_P | PTE_W;
	__asm__ volatile("mov %%cr3, %0; mov %0, %%cr3" : "=r"(cr3) : : "memory");
	write_cr0(read_cr0() | CR0_WP);
}

/* ---- the staticcall platform ---- */

static int text_open(uintptr_t start, size_t len)
{
	(void)start;
	(void)len;
	write_cr0(read_cr0() & ~CR0_WP);
	return 0;
}

/* Text written since the last core synchronisation (see refresh_text). */
static uintptr_t written_lo = UINTPTR_MAX, written_hi;

static void text_close(uintptr_t start, size_t len)
{
	write_cr0(read_cr0() | CR0_WP);
	if (start < written_lo)
		written_lo = start;
	if (start + len > written_hi)
		written_hi = start + len;
}

/*
 * qemu's multi-threaded TCG has a race that hardware does not: CPU 1 may
 * be translating a block of the old bytes while this CPU writes, and link
 * it after the write has already invalidated what was there, so every CPU
 * (this one included) keeps running the old bytes until those bytes are
 * written again.  So once CPU 1 has acknowledged a round (it is then out
 * of any translation), the word of every site written is stored again
 * with the same value (an atomic or of 0, harmless while the other CPU
 * executes it): qemu then throws such a stale block away.  The sites come
 * from the kernel's own table (abi.h).  On hardware this costs one locked
 * instruction per site and changes nothing.
 */
extern struct staticcall_site_rec bm_sites_start[], bm_sites_end[];

static void refresh_text(void)
{
	const struct staticcall_site_rec *r;
	uintptr_t p;

	write_cr0(read_cr0() & ~CR0_WP);
	for (r = bm_sites_start; r < bm_sites_end; r++) {
		p = staticcall_site_addr(r) & ~7ul;
		if (p + 8 > written_lo && p < written_hi)
			__atomic_fetch_or((uint64_t *)p, 0, __ATOMIC_RELAXED);
	}
	write_cr0(read_cr0() | CR0_WP);
}

static unsigned long sync_gen, sync_ack;
static int cpu1_running;

/* One round: CPU 1 has serialised itself after everything written so far. */
static void sync_round(void)
{
	unsigned long g = __atomic_add_fetch(&sync_gen, 1, __ATOMIC_SEQ_CST);

	while (__atomic_load_n(&sync_ack, __ATOMIC_ACQUIRE) != g)
		__asm__ volatile("pause");
}

static void sync_cores(void)
{
	int written = written_hi != 0;

	if (__atomic_load_n(&cpu1_running, __ATOMIC_ACQUIRE)) {
		sync_round();
		if (written) {
			refresh_text();
			sync_round();
		}
	}
	written_lo = UINTPTR_MAX;
	written_hi = 0;
}

void bm_sync_point(void)
{
	unsigned long g = __atomic_load_n(&sync_gen, __ATOMIC_ACQUIRE);
	uint32_t a, b, c, d;

	if (g == __atomic_load_n(&sync_ack, __ATOMIC_RELAXED))
		return;
	cpuid(0, &a, &b, &c, &d);	/* serialise this CPU */
	__atomic_store_n(&sync_ack, g, __ATOMIC_RELEASE);
}

const struct staticcall_platform bm_platform = {
	.text_open = text_open,
	.text_close = text_close,
	.sync_cores = sync_cores,
	.page_size = 4096,
};

/* ---- the second CPU ---- */

#define LAPIC_BASE	0xfee00000ul
#define LAPIC_SVR	0x0f0
#define LAPIC_ICR_LO	0x300
#define LAPIC_ICR_HI	0x310
#define TRAMP_BASE	0x8000ul

static inline void lapic_write(unsigned int reg, uint32_t v)
{
	*(volatile uint32_t *)(LAPIC_BASE + reg) = v;
}

static inline uint32_t lapic_read(unsigned int reg)
{
	return *(volatile uint32_t *)(LAPIC_BASE + reg);
}

static void lapic_ipi(uint32_t dest, uint32_t cmd)
{
	lapic_write(LAPIC_ICR_HI, dest << 24);
	lapic_write(LAPIC_ICR_LO, cmd);
	while (lapic_read(LAPIC_ICR_LO) & (1u << 12))	/* delivery pending */
		__asm__ volatile("pause");
}

static void delay(unsigned long n)
{
	while (n--)
		__asm__ volatile("pause");
}

static char cpu1_stack[16384] __attribute__((aligned(16)));
static void (*cpu1_fn)(void);

void bm_cpu1_entry(void);
void bm_cpu1_entry(void)
{
	__atomic_store_n(&cpu1_running, 1, __ATOMIC_RELEASE);
	cpu1_fn();
	for (;;)
		;
}

int bm_start_cpu1(void (*fn)(void))
{
	volatile unsigned char *dst = (volatile unsigned char *)TRAMP_BASE;
	uintptr_t off;
	uint64_t cr3;
	unsigned long spin;
	int tries;

	cpu1_fn = fn;
	for (off = 0; off < (uintptr_t)(bm_tramp_end - bm_tramp_start); off++)
		dst[off] = (unsigned char)bm_tramp_start[off];
	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	*(volatile uint64_t *)(TRAMP_BASE + ((char *)bm_tramp_cr3 - bm_tramp_start)) = cr3;
	*(volatile uint64_t *)(TRAMP_BASE + ((char *)bm_tramp_stack - bm_tramp_start)) =
		(uintptr_t)(cpu1_stack + sizeof(cpu1_stack));
	*(volatile uint32_t *)(TRAMP_BASE + ((char *)bm_tramp_efer - bm_tramp_start)) =
		(uint32_t)(rdmsr(MSR_EFER) & ((1u << 8) | EFER_NXE));

	if ((rdmsr(0x1b) & ~0xffful) != LAPIC_BASE)	/* IA32_APIC_BASE */
		return -1;
	lapic_write(LAPIC_SVR, lapic_read(LAPIC_SVR) | 0x100);	/* enable */
	lapic_ipi(1, 0x00004500);			/* INIT, assert */
	delay(100000);
	for (tries = 0; tries < 2; tries++) {
		lapic_ipi(1, 0x00004600 | (TRAMP_BASE >> 12));	/* SIPI */
		for (spin = 0; spin < 10000000; spin++) {
			if (__atomic_load_n(&cpu1_running, __ATOMIC_ACQUIRE))
				return 0;
			__asm__ volatile("pause");
		}
	}
	return -1;
}

/* ---- entry from boot.S ---- */

void bm_main(void);
void bm_main(void)
{
	serial_init();
	mmu_init();
	bm_run();
}
