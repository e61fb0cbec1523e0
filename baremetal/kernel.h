/*
 * baremetal/kernel.h - what the CPU-independent test (kernel.c) asks of
 * each tiny kernel's own code (<cpu>/boot.S, <cpu>/platform.c).
 *
 * No libc anywhere: the kernels are linked with -nostdlib against
 * libstaticcall-core.a and libgcc only.
 */
#ifndef BAREMETAL_KERNEL_H
#define BAREMETAL_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include <staticcall/abi.h>
#include <staticcall/platform.h>

/* "x86_64", "aarch64", "powerpc64le": the <cpu> of the result line. */
extern const char bm_cpu_name[];

/* One character to the serial port (COM1, PL011). */
void bm_putc(char c);
/* A string; a 64-bit value in hex with 0x (kernel.c). */
void bm_puts(const char *s);
void bm_putx(uint64_t v);

/* Leave qemu with @status (0: success) once the result line is out. */
__attribute__((noreturn)) void bm_exit(int status);

/* The platform the kernel gives the core (platform.c). */
extern const struct staticcall_platform bm_platform;

/*
 * Placed by the linker script (<cpu>/kernel.ld): the kernel's site table
 * (read-only), its index and staticcall_prepared (in the bss), and the
 * kernel's bounds: text and
 * read-only data [__text_start, __text_end), data and bss [__text_end,
 * __image_end).
 */
extern struct staticcall_site_rec bm_sites_start[], bm_sites_end[];
extern struct staticcall_site_rec bm_index_start[], bm_index_end[];
extern char bm_prepared_start[], bm_prepared_end[];
extern char __text_start[], __text_end[], __image_end[];

/*
 * Start the second CPU running @fn on its own stack; returns once it runs
 * (0) or a negative value when it never came up (<cpu>/platform.c).
 */
int bm_start_cpu1(void (*fn)(void));
/* For it (platform.c): remember @fn, return the top of CPU 1's stack; */
uintptr_t bm_cpu1_prepare(void (*fn)(void));
/* what CPU 1's C entry calls: run @fn; */
__attribute__((noreturn)) void bm_cpu1_run(void);
/* wait until CPU 1 runs (0) or give up (-1). */
int bm_cpu1_wait(void);

/*
 * Called by the second CPU between calls: when the updater asked for a
 * round of core synchronisation, execute the architecture's
 * context-synchronising instruction and acknowledge it (platform.c).
 */
void bm_sync_point(void);

/*
 * Store the byte at @addr back to itself: 0 when the store happened, 1
 * when it faulted (the exception handler resumes it).  Proves text is
 * read-only where it must be (<cpu>/boot.S).
 */
int bm_probe_write(void *addr);
/* 1 when the kernel maps its text read-only (0: powerpc64 real mode). */
extern const int bm_text_protected;

/* ---- per-CPU primitives (<cpu>/platform.c) for platform.c ---- */

/* Make the text pages of [@start, @start + @len) writable (@on) or
 * read-only again, for this CPU's stores.  0 or a negative errno. */
int bm_text_writable(uintptr_t start, size_t len, int on);
/*
 * Around the core's writes in a text window [@lo, @hi) (@on: before, 0:
 * after): x86-64 puts a trap byte on the sites there first (see
 * x86_64/platform.c); the other CPUs need nothing.  Returns how many
 * sites it guarded (0 when @on is 0) or a negative errno.
 */
int bm_sites_guard(uintptr_t lo, uintptr_t hi, int on);
/* Store the word holding the site at @site again with its own value. */
void bm_site_rewrite(uintptr_t site);
/* The context-synchronising instruction (x86-64 cpuid, arm64 isb). */
void bm_context_sync(void);
/* Spin-wait hint (pause, yield). */
void bm_cpu_relax(void);
#if defined(__powerpc64__) || defined(__aarch64__)
/* Space for the core's stubs and veneers (platform.h veneer_map). */
int bm_veneer_map(uintptr_t lo, uintptr_t hi, uintptr_t reach, size_t size,
		  uintptr_t *addr);
#endif
#ifdef __aarch64__
/* platform.h text_guarded: the arm64 kernel's BTI guarded pages. */
int bm_text_guarded(uintptr_t addr);
#endif

/*
 * The CPU's own tests, run by bm_run after the result line with CPU 1
 * parked (acknowledging sync rounds): returns the kernel's exit status,
 * given @status, the status so far (a weak default returns it).  arm64:
 * the BTI test (aarch64/platform.c).
 */
int bm_cpu_tests(int status);

/*
 * The boot-time choice: 1 when the CPU has the feature the kernel picks
 * its target on (x86-64 SSE4.2, arm64 CRC32), else 0.
 */
int bm_cpu_feature(void);

/* The test itself (kernel.c), called by each kernel's bm_main. */
__attribute__((noreturn)) void bm_run(void);

#endif /* BAREMETAL_KERNEL_H */
