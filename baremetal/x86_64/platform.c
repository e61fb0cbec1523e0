/*
 * baremetal/x86_64/platform.c - the x86-64 kernel's platform: page tables,
 * COM1, isa-debug-exit, the second CPU (INIT-SIPI-SIPI through the local
 * APIC) and the hooks it gives the staticcall core.
 *
 * Text writing: the kernel's text pages are mapped read-only and CR0.WP is
 * set on both CPUs, so nothing writes them by accident.  bm_text_writable
 * clears CR0.WP on the updating CPU only (supervisor writes then ignore the
 * R/W bit); the other CPU keeps running the text through the same
 * read-only mapping.  The stores are the core's (one atomic 8-byte store
 * per aligned site).
 *
 * Core synchronisation (../platform.c): CPU 1 executes cpuid, a
 * serialising instruction, before it acknowledges a round: no stale
 * prefetched or decoded bytes of a modified site survive it.
 */
#include <errno.h>
#include <stdint.h>

#include "../kernel.h"

const char bm_cpu_name[] = "x86_64";
const int bm_text_protected = 1;

#define X86_INT3	0xcc	/* the guard byte (bm_sites_guard) */

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

/* ---- exceptions: a report and a failure status, or the write probe ---- */

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error, rip, cs, rflags, rsp, ss;
};

struct idt_gate {
	uint16_t off0, sel;
	uint8_t ist, type;
	uint16_t off1;
	uint32_t off2, zero;
};

extern char bm_trap_stubs[], bm_probe_insn[], bm_probe_resume[];
static struct idt_gate idt[32] __attribute__((aligned(16)));
static struct __attribute__((packed)) {
	uint16_t limit;
	uint64_t base;
} idt_ptr;

/*
 * The guard byte (see bm_sites_guard): a CPU that meets it at @site waits,
 * answering synchronisation rounds meanwhile, until the core has written
 * the site or the window closed, then runs the site again.  0: not a
 * guarded site.
 */
static int guard_trap(uintptr_t site)
{
	const struct staticcall_site_rec *r;

	for (r = bm_sites_start; r < bm_sites_end; r++)
		if (staticcall_site_addr(r) == site)
			break;
	if (r == bm_sites_end)
		return 0;
	while (*(volatile unsigned char *)site == X86_INT3) {
		bm_sync_point();
		bm_cpu_relax();
	}
	bm_sync_point();
	return 1;
}

void bm_trap(struct trap_frame *f);
void bm_trap(struct trap_frame *f)
{
	uint64_t cr2;

	if (f->vector == 14 && f->rip == (uintptr_t)bm_probe_insn) {
		f->rip = (uintptr_t)bm_probe_resume;
		return;
	}
	if (f->vector == 3 && guard_trap(f->rip - 1)) {
		f->rip -= 1;	/* run the site again, complete now */
		return;
	}
	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	bm_puts("bm: exception ");
	bm_putx(f->vector);
	bm_puts(" error ");
	bm_putx(f->error);
	bm_puts(" rip ");
	bm_putx(f->rip);
	bm_puts(" cr2 ");
	bm_putx(cr2);
	bm_puts("\r\n");
	bm_exit(3);
}

static void idt_init(void)
{
	unsigned int i;

	for (i = 0; i < 32; i++) {
		uintptr_t a = (uintptr_t)bm_trap_stubs + 16 * i;

		idt[i].off0 = (uint16_t)a;
		idt[i].sel = 0x18;		/* boot.S: 64-bit code */
		idt[i].type = 0x8e;		/* present, interrupt gate */
		idt[i].off1 = (uint16_t)(a >> 16);
		idt[i].off2 = (uint32_t)(a >> 32);
	}
	idt_ptr.limit = sizeof(idt) - 1;
	idt_ptr.base = (uintptr_t)idt;
}

static void idt_load(void)
{
	__asm__ volatile("lidt %0" : : "m"(idt_ptr));
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

/* ---- primitives of ../platform.c ---- */

/*
 * CR0.WP clear: this CPU's supervisor writes ignore the read-only bit of
 * the text pages; the other CPU keeps its CR0.WP and its read-only view.
 */
int bm_text_writable(uintptr_t start, size_t len, int on)
{
	if (start < (uintptr_t)__text_start || start + len > (uintptr_t)__text_end)
		return -EPERM;	/* not the kernel's text */
	if (on)
		write_cr0(read_cr0() & ~CR0_WP);
	else
		write_cr0(read_cr0() | CR0_WP);
	return 0;
}

/*
 * qemu's TCG decodes an instruction byte by byte while another CPU may
 * store over it, and the decoding thread can be preempted by the host
 * between two bytes: a site changing its first byte (call <-> nopl for
 * NULL, call <-> xor for return-0, jmp <-> ret) can be read half old,
 * half new (e8 and the nopl's bytes: a call 17 KB away, seen as a #GP in
 * the middle of the core, one run in about ten).  So before the core
 * writes a window, each site in it gets int3 on its first byte (a one-byte
 * store), and text_open waits for one synchronisation round (../platform.c):
 * every decode that began before then is over, and a later one reads
 * either the trap alone or, once the core's atomic store is done, all of
 * the core's bytes.  A CPU meeting the trap waits (guard_trap).  After the
 * core wrote, sites still holding the trap (of other keys in the window)
 * get their byte back.  These are the first two steps of Linux's
 * text_poke_bp protocol; the core's one atomic store is the rest.  On
 * hardware, which fetches the aligned word whole, the guard is not needed.
 */
#define GUARD_MAX	64
static unsigned char guard_saved[GUARD_MAX], guard_set[GUARD_MAX];

int bm_sites_guard(uintptr_t lo, uintptr_t hi, int on)
{
	size_t n = (size_t)(bm_sites_end - bm_sites_start), i;
	int guarded = 0;

	if (n > GUARD_MAX)
		return -ENOSPC;
	for (i = 0; i < n; i++) {
		volatile unsigned char *p =
			(volatile unsigned char *)staticcall_site_addr(&bm_sites_start[i]);

		if ((uintptr_t)p < lo || (uintptr_t)p >= hi)
			continue;
		if (on && !guard_set[i]) {
			guard_saved[i] = *p;
			*p = X86_INT3;
			guard_set[i] = 1;
			guarded++;
		} else if (!on && guard_set[i]) {
			if (*p == X86_INT3)
				*p = guard_saved[i];
			guard_set[i] = 0;
		}
	}
	return guarded;
}

/* x86-64 sites lie in one aligned 8-byte word. */
void bm_site_rewrite(uintptr_t site)
{
	__atomic_fetch_or((uint64_t *)(site & ~7ul), 0, __ATOMIC_RELAXED);
}

void bm_context_sync(void)
{
	uint32_t a, b, c, d;

	cpuid(0, &a, &b, &c, &d);	/* serialising */
}

void bm_cpu_relax(void)
{
	__asm__ volatile("pause");
}

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

void bm_cpu1_entry(void);
void bm_cpu1_entry(void)
{
	idt_load();
	bm_cpu1_run();
}

int bm_start_cpu1(void (*fn)(void))
{
	volatile unsigned char *dst = (volatile unsigned char *)TRAMP_BASE;
	uintptr_t off;
	uint64_t cr3;

	for (off = 0; off < (uintptr_t)(bm_tramp_end - bm_tramp_start); off++)
		dst[off] = (unsigned char)bm_tramp_start[off];
	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	*(volatile uint64_t *)(TRAMP_BASE + ((char *)bm_tramp_cr3 - bm_tramp_start)) = cr3;
	*(volatile uint64_t *)(TRAMP_BASE + ((char *)bm_tramp_stack - bm_tramp_start)) =
		bm_cpu1_prepare(fn);
	*(volatile uint32_t *)(TRAMP_BASE + ((char *)bm_tramp_efer - bm_tramp_start)) =
		(uint32_t)(rdmsr(MSR_EFER) & ((1u << 8) | EFER_NXE));

	if ((rdmsr(0x1b) & ~0xffful) != LAPIC_BASE)	/* IA32_APIC_BASE */
		return -1;
	lapic_write(LAPIC_SVR, lapic_read(LAPIC_SVR) | 0x100);	/* enable */
	lapic_ipi(1, 0x00004500);			/* INIT, assert */
	delay(100000);
	lapic_ipi(1, 0x00004600 | (TRAMP_BASE >> 12));	/* SIPI */
	if (!bm_cpu1_wait())
		return 0;
	lapic_ipi(1, 0x00004600 | (TRAMP_BASE >> 12));	/* a second SIPI */
	return bm_cpu1_wait();
}

/* ---- entry from boot.S ---- */

void bm_main(void);
void bm_main(void)
{
	serial_init();
	idt_init();
	idt_load();
	mmu_init();
	bm_run();
}
