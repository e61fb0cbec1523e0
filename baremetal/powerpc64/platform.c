/*
 * baremetal/powerpc64/platform.c - the powerpc64le kernel's platform on
 * qemu's pseries machine: hypervisor console (H_PUT_TERM_CHAR), RTAS
 * through the KVMPPC_H_RTAS hcall qemu's own RTAS blob uses (start-cpu,
 * power-off), veneer space, and the primitives of ../platform.c.
 *
 * Memory: real mode (MSR IR/DR off): no translation, so the text is
 * writable in place and bm_text_writable has nothing to switch; the core
 * writes each site with one 4-byte store and its back end publishes it
 * (dcbst, sync, icbi, sync, isync).  Nothing faults a store to the text
 * here: bm_text_protected is 0 and the kernel skips its write probes.
 *
 * Core synchronisation (../platform.c): CPU 1 executes isync, which
 * discards any instruction it prefetched, before it acknowledges a round;
 * the updater's icbi (broadcast) completed with its sync before the round.
 *
 * Veneers: a site whose function does not save r2 in its prologue reaches
 * every target through a stub (arch/powerpc64/site.c); the stubs live in
 * a static area of the image, executable like all memory in real mode.
 */
#include <errno.h>
#include <stdint.h>

#include "../kernel.h"

const char bm_cpu_name[] = "powerpc64le";
const int bm_text_protected = 0;

long bm_hcall(uint64_t op, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);

#define H_PUT_TERM_CHAR		0x58
#define H_SET_MODE		0x31c
#define KVMPPC_H_RTAS		0xf000
#define VTY_REG			0x71000000	/* qemu's first spapr-vty */
#define RTAS_POWER_OFF		0x2003
#define RTAS_START_CPU		0x2006

void bm_putc(char c)
{
	while (bm_hcall(H_PUT_TERM_CHAR, VTY_REG, 1,
			(uint64_t)(unsigned char)c << 56, 0) == -2 /* H_BUSY */)
		;
}

/* RTAS arguments are big-endian 32-bit cells: token, nargs, nret, ... */
static uint32_t rtas_args[16] __attribute__((aligned(8)));

static int rtas(uint32_t token, int nargs, const uint32_t *args)
{
	int i;

	rtas_args[0] = __builtin_bswap32(token);
	rtas_args[1] = __builtin_bswap32((uint32_t)nargs);
	rtas_args[2] = __builtin_bswap32(1);
	for (i = 0; i < nargs; i++)
		rtas_args[3 + i] = __builtin_bswap32(args[i]);
	bm_hcall(KVMPPC_H_RTAS, (uintptr_t)rtas_args, 0, 0, 0);
	return (int)__builtin_bswap32(rtas_args[3 + nargs]);
}

/*
 * RTAS power-off carries no status: on success it ends the run (qemu
 * status 0) once the result line is out; a failure spins until the
 * timeout of run.sh, so it never passes for a success.
 */
__attribute__((noreturn)) void bm_exit(int status)
{
	static const uint32_t mask[2] = { 0, 0 };

	if (status == 0)
		rtas(RTAS_POWER_OFF, 2, mask);
	for (;;)
		;
}

void bm_exception(uint64_t vector, uint64_t srr0, uint64_t srr1, uint64_t dar);
void bm_exception(uint64_t vector, uint64_t srr0, uint64_t srr1, uint64_t dar)
{
	bm_puts("bm: exception ");
	bm_putx(vector);
	bm_puts(" srr0 ");
	bm_putx(srr0);
	bm_puts(" srr1 ");
	bm_putx(srr1);
	bm_puts(" dar ");
	bm_putx(dar);
	bm_puts("\r\n");
	bm_exit(3);
}

int bm_cpu_feature(void)
{
	uint64_t pvr;

	__asm__ volatile("mfpvr %0" : "=r"(pvr));
	return (pvr >> 16) >= 0x004e;	/* POWER9 or later */
}

int bm_probe_write(void *addr)
{
	(void)addr;
	return 0;
}

/* ---- primitives of ../platform.c ---- */

int bm_text_writable(uintptr_t start, size_t len, int on)
{
	(void)start;
	(void)len;
	(void)on;
	return 0;	/* real mode: always writable */
}

void bm_context_sync(void)
{
	__asm__ volatile("isync" : : : "memory");
}

void bm_cpu_relax(void)
{
	__asm__ volatile("or 1,1,1" : : : "memory");	/* low priority */
}

static unsigned char veneer_area[65536] __attribute__((aligned(4096)));
static int veneer_used;

int bm_veneer_map(uintptr_t lo, uintptr_t hi, uintptr_t reach, size_t size,
		  uintptr_t *addr)
{
	uintptr_t a = (uintptr_t)veneer_area;

	if (veneer_used || size > sizeof(veneer_area))
		return -ENOMEM;
	if (a + size > lo + reach || a < hi - reach)
		return -ERANGE;
	veneer_used = 1;
	*addr = a;
	return 0;
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
	static const uint32_t ids[] = { 1, 2, 4, 8 };
	uint32_t args[3];
	unsigned int i;

	args[1] = (uint32_t)(uintptr_t)bm_cpu1_start;
	args[2] = (uint32_t)bm_cpu1_prepare(fn);
	/* the second core's vcpu id depends on qemu's SMT layout */
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		args[0] = ids[i];
		if (rtas(RTAS_START_CPU, 3, args) == 0)
			return bm_cpu1_wait();
	}
	return -1;
}

/* ---- entry from boot.S ---- */

void bm_main(void);
void bm_main(void)
{
	/* exceptions little-endian, so the vectors of boot.S can run */
	bm_hcall(H_SET_MODE, 1, 4 /* H_SET_MODE_RESOURCE_LE */, 0, 0);
	bm_run();
}
