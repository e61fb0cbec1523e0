/*
 * staticcall/alt.h - callback patching: a region of instructions whose final
 * bytes a C callback computes when its object is registered (the arm64
 * kernel's ALTERNATIVE_CB idea, on x86-64, aarch64 and powerpc64le).
 *
 *   static void pick(const struct staticcall_alt *region,
 *                    const void *orig, void *buf, unsigned int len)
 *   {
 *           if (cpu_has_fast_path())
 *                   memcpy(buf, fast_insns, len);   (else buf keeps orig)
 *   }
 *   __asm__(... STATICCALL_ALT_CB("mov $1, %eax", "pick") ...);
 *
 * The macro assembles the original instructions in place and records the
 * region.  At registration (hosted: a constructor of every unit including
 * this header, before main() or before dlopen() returns; freestanding:
 * when the program calls staticcall_alt_apply()) the runtime calls each
 * region's callback once with the region, a copy of its original bytes and
 * a buffer of the region's length holding those bytes; what the callback
 * leaves in the buffer is written over the region (when it differs), the
 * text published (cache maintenance) and all cores synchronised once.
 *
 * A region is written while no thread runs it (it is not one atomic
 * instruction), so only at registration; a callback must fill whole
 * instructions of the same total length (pad with nops) and must not call
 * code in regions not yet applied.  Regions longer than STATICCALL_ALT_MAX
 * bytes are refused (-E2BIG, logged) and keep their original bytes.
 *
 * Section staticcall_alt, "awR" (writable: the runtime marks records done;
 * R keeps it under --gc-sections), an array of 16-byte records, 8-aligned:
 *
 *     start     int32   offset from &rec->start to the region's first byte
 *     len       uint16  bytes in the region
 *     flags     uint16  STATICCALL_ALT_DONE once applied (0 in the file)
 *     callback  uint64  absolute address of the callback (dynamic
 *                       relocation in PIC objects; the section is writable)
 *
 * The macro is for asm statements in C; a .S file writes the same record
 * by hand.
 */
#ifndef STATICCALL_ALT_H
#define STATICCALL_ALT_H

#define STATICCALL_ALT_SECTION_STR	"staticcall_alt"
#define STATICCALL_ALT_REC_SIZE		16
#define STATICCALL_ALT_DONE		0x1
#define STATICCALL_ALT_MAX		64

#define __SC_ALT_PROGBITS		"@progbits"

/*
 * In an asm statement: @insns (a string of instructions, '\n\t' between
 * them) become a region patched by the function named by the string @cb.
 * Local labels 6620/6621 are used.
 */
#define STATICCALL_ALT_CB(insns, cb)					\
	"6620:\n\t" insns "\n6621:\n\t"					\
	".pushsection " STATICCALL_ALT_SECTION_STR ",\"awR\","		\
		__SC_ALT_PROGBITS "\n\t"				\
	".balign 8\n\t"							\
	".long 6620b - .\n\t"						\
	".short 6621b - 6620b\n\t"					\
	".short 0\n\t"							\
	".quad " cb "\n\t"						\
	".popsection\n\t"

#ifndef __ASSEMBLER__

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct staticcall_alt {
	int32_t start;
	uint16_t len;
	uint16_t flags;
	uint64_t callback;
};

#ifdef __cplusplus
static_assert(sizeof(struct staticcall_alt) == STATICCALL_ALT_REC_SIZE,
	      "staticcall_alt record");
#else
_Static_assert(sizeof(struct staticcall_alt) == STATICCALL_ALT_REC_SIZE,
	       "staticcall_alt record");
#endif

static inline void *staticcall_alt_addr(const struct staticcall_alt *alt)
{
	return (void *)((uintptr_t)alt + (intptr_t)alt->start);
}

/*
 * @region: the record; @orig: its original bytes (a copy); @buf: @len bytes,
 * on entry a copy of @orig, on return what the region must hold.
 */
typedef void (*staticcall_alt_fn)(const struct staticcall_alt *region,
				  const void *orig, void *buf,
				  unsigned int len);

/*
 * Apply every region of [@start, @stop) not yet applied: call its callback,
 * write the result, publish, one core synchronisation.  Idempotent.
 * Returns 0 or the first negative errno (-E2BIG: region too long; -EPERM:
 * text not writable); regions that failed keep their original bytes.
 * Freestanding: the platform (staticcall_set_platform) writes the text.
 */
int staticcall_alt_apply(struct staticcall_alt *start,
			 struct staticcall_alt *stop);

#ifdef __cplusplus
}
#endif

#if defined(__linux__) && !defined(STATICCALL_ALT_NO_CONSTRUCTOR)
/*
 * Hosted: each unit that includes this header applies its object's regions
 * from a constructor (the first one does the work, the others find every
 * record done).  Kernels define STATICCALL_ALT_NO_CONSTRUCTOR and call
 * staticcall_alt_apply() with their own section bounds.
 */
#ifdef __cplusplus
extern "C"
#endif
void staticcall_host_init(void);	/* staticcall/host.h */

__asm__(".pushsection " STATICCALL_ALT_SECTION_STR ",\"awR\","
	__SC_ALT_PROGBITS "\n\t.balign 8\n\t.popsection");
extern struct staticcall_alt __start_staticcall_alt[]
	__attribute__((weak, visibility("hidden")));
extern struct staticcall_alt __stop_staticcall_alt[]
	__attribute__((weak, visibility("hidden")));

__attribute__((constructor(101), used))
static void __staticcall_alt_register(void)
{
	if ((void *)__start_staticcall_alt == (void *)__stop_staticcall_alt)
		return;
	staticcall_host_init();
	staticcall_alt_apply(__start_staticcall_alt, __stop_staticcall_alt);
}
#endif

#endif /* !__ASSEMBLER__ */
#endif /* STATICCALL_ALT_H */
