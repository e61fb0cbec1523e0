/*
 * runtime/linux/object.c - staticcall-object.o: registers the object it is linked
 * into (executable or shared object) before main() or before dlopen()
 * returns, and removes it at exit or dlclose().
 *
 * The linker defines __start_/__stop_staticcall_sites for the output that
 * holds this file; they are hidden so each object sees its own table.  An
 * empty staticcall_sites section here makes them exist even in an object
 * without sites.  Built -fPIC; linked into every object by pkg-config Libs.
 * At dlclose() it also moves keys whose targets live in this object back
 * to their defaults (staticcall_unload_range, doc/objects.md).
 */
#define _GNU_SOURCE
#include <link.h>
#include <stddef.h>
#include <stdint.h>

#include "staticcall.h"
#include "staticcall/abi.h"
#include "staticcall/host.h"
#include "staticcall/log.h"
#include "hostcpu.h"

/* The symbol every object with staticcall records refers to: a link of
   sites without this file fails, saying what to add (abi.h). */
__asm__(STATICCALL_DEFINE_SYM_ASM(STATICCALL_REGISTRATION_SYM));

__asm__(STATICCALL_SITES_SECTION_ASM "\n\t"
	".balign 8\n\t"
	".popsection\n\t"
	STATICCALL_INDEX_PUSHSECTION("", "%") "\n\t"
	".balign 8\n\t"
	".popsection");

extern struct staticcall_site_rec __start_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));
extern struct staticcall_site_rec __stop_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));
extern struct staticcall_site_rec __start_staticcall_index[]
	__attribute__((weak, visibility("hidden")));
extern struct staticcall_site_rec __stop_staticcall_index[]
	__attribute__((weak, visibility("hidden")));
extern char __start_staticcall_prepared[]
	__attribute__((weak, visibility("hidden")));
extern char __stop_staticcall_prepared[]
	__attribute__((weak, visibility("hidden")));

/* PT_LOAD segments an object may have (more are not checked against) */
#define MAX_RANGES	16

static struct staticcall_object this_object;
static struct staticcall_range ranges[MAX_RANGES];
static int registered;

/* This object's ELF header, where the linker maps it (it does by default). */
extern const ElfW(Ehdr) __ehdr_start __attribute__((weak, visibility("hidden")));

/*
 * ranges[] from program headers loaded at @bias: the PT_LOAD segments,
 * without write permission where PT_GNU_RELRO makes them read-only after
 * relocation (to its unrounded end: the bytes up to the page boundary
 * stay writable, nothing of ours is there).  Returns the count.
 */
static unsigned int segments_of(const ElfW(Phdr) *ph, unsigned int phnum,
				uintptr_t bias)
{
	uintptr_t rlo = 0, rhi = 0;
	unsigned int i, n = 0;

	for (i = 0; i < phnum; i++, ph++) {
		if (ph->p_type == PT_GNU_RELRO) {
			rlo = bias + ph->p_vaddr;
			rhi = rlo + ph->p_memsz;
		}
		if (ph->p_type != PT_LOAD || n == MAX_RANGES - 2)
			continue;
		ranges[n].lo = bias + ph->p_vaddr;
		ranges[n].hi = ranges[n].lo + ph->p_memsz;
		ranges[n].prot = ((ph->p_flags & PF_R) ? STATICCALL_RANGE_R : 0) |
				 ((ph->p_flags & PF_W) ? STATICCALL_RANGE_W : 0) |
				 ((ph->p_flags & PF_X) ? STATICCALL_RANGE_X : 0);
		n++;
	}
	/* the part of a writable segment RELRO covers becomes a range of its
	   own, without W: [lo, rlo) W, [rlo, rhi) R, [rhi, hi) W */
	for (i = 0; rlo < rhi && i < n; i++) {
		struct staticcall_range *r = &ranges[i], tail = *r;

		if (!(r->prot & STATICCALL_RANGE_W) || rhi <= r->lo || rlo >= r->hi)
			continue;
		if (rlo > r->lo) {	/* keep the head writable: rare */
			ranges[n] = *r;
			ranges[n++].hi = rlo;
			r->lo = rlo;
		}
		if (rhi < r->hi) {
			tail.lo = rhi;
			ranges[n++] = tail;
			r->hi = rhi;
		}
		r->prot &= ~STATICCALL_RANGE_W;
		break;
	}
	return n;
}

/*
 * The program headers through this object's own ELF header (no libc
 * call).  0 when the header is not mapped (an unusual link).
 */
static unsigned int segments_from_header(void)
{
	uintptr_t a = (uintptr_t)&__ehdr_start;
	const ElfW(Ehdr) *eh;
	const ElfW(Phdr) *ph;
	unsigned int i;

	/* The headers follow the ELF header in the mapping, beyond the
	   symbol's declared size: the compiler (and -fsanitize=object-size)
	   must not reason from that size. */
	__asm__("" : "+r"(a));
	eh = (const ElfW(Ehdr) *)a;

	if (!eh || eh->e_ident[EI_MAG0] != ELFMAG0 ||
	    eh->e_ident[EI_MAG1] != ELFMAG1 || eh->e_ident[EI_MAG2] != ELFMAG2 ||
	    eh->e_ident[EI_MAG3] != ELFMAG3 ||
	    eh->e_phentsize != sizeof(ElfW(Phdr)))
		return 0;
	ph = (const ElfW(Phdr) *)((const char *)eh + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0)
			return segments_of(ph, eh->e_phnum,
					   (uintptr_t)eh - ph[i].p_vaddr);
	return 0;
}

/* dl_iterate_phdr callback: the segments of the object holding us. */
static int find_segments(struct dl_phdr_info *info, size_t size, void *data)
{
	uintptr_t self = (uintptr_t)&this_object;
	int i;

	(void)size;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t a = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && self >= a && self < a + ph->p_memsz) {
			*(unsigned int *)data = segments_of(info->dlpi_phdr,
							    info->dlpi_phnum,
							    info->dlpi_addr);
			return 1;
		}
	}
	return 0;
}

/*
 * The tables, at the first touch of any key (runtime lock held): the
 * site table, its index (the zero pages of staticcall_index, 8 bytes per
 * record), the object's segments, its TOC and the sites the plugin
 * prepared.  A table without an index big enough (an older plugin or
 * tool) is writable and is sorted in place.
 */
static int describe(struct staticcall_object *obj, struct staticcall_tables *t)
{
	unsigned int n = segments_from_header();

	(void)obj;
	if (!n)
		dl_iterate_phdr(find_segments, &n);
	t->sites_start = __start_staticcall_sites;
	t->sites_stop = __stop_staticcall_sites;
	t->index_start = __start_staticcall_index;
	t->index_stop = __stop_staticcall_index;
	if (__stop_staticcall_index - __start_staticcall_index <
	    __stop_staticcall_sites - __start_staticcall_sites)
		t->index_start = t->index_stop = NULL;
	t->ranges = ranges;
	t->nranges = n;
	/* the object's TOC (0 where the CPU has none): sc_host_toc() runs
	 * in this object, as every function holding its sites does */
	t->toc = sc_host_toc();
	/* the sites the plugin prepared (powerpc64): as many as records,
	   registration reads no text */
	t->prepared = (size_t)(__stop_staticcall_prepared - __start_staticcall_prepared);
	return 0;
}

/*
 * Registration is O(1) in the sites and costs a few stores: the object is
 * queued, its tables described when a key is first touched (describe).
 * It calls nothing in libc and takes no lock.
 */
__attribute__((constructor(101)))
static void staticcall_object_register(void)
{
	int err;

	if ((void *)__start_staticcall_sites == (void *)__stop_staticcall_sites)
		return;
	err = staticcall_object_add_deferred(&this_object, describe);
	if (err) {
		staticcall_host_init();	/* the default log */
		staticcall_log("staticcall: object with sites at %p not registered (error %d): its calls keep their default targets",
			       (void *)__start_staticcall_sites, err);
	} else {
		registered = 1;
	}
}

struct image {
	uintptr_t lo, hi;
	int seen;	/* objects visited; the first is the main program */
	int main;	/* this object is the main program */
};

/* dl_iterate_phdr callback: the PT_LOAD span of the object holding us. */
static int find_image(struct dl_phdr_info *info, size_t size, void *data)
{
	uintptr_t self = (uintptr_t)&this_object, lo = UINTPTR_MAX, hi = 0;
	struct image *im = data;
	int i;

	(void)size;
	im->seen++;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t a = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type != PT_LOAD)
			continue;
		if (a < lo)
			lo = a;
		if (a + ph->p_memsz > hi)
			hi = a + ph->p_memsz;
	}
	if (self < lo || self >= hi)
		return 0;
	im->lo = lo;
	im->hi = hi;
	im->main = im->seen == 1;
	return 1;
}

/*
 * At dlclose(), after the object's own destructors: drop its sites, then
 * move every key that targets code (or keeps a patch) in its image back
 * out of it, so no site of another object points into unmapped memory
 * (doc/objects.md).  This runs even in an object without sites: it may
 * hold targets.  The main program is never unloaded: its destructor runs
 * only at exit(), before those of shared objects, and says exit has begun;
 * images then stay mapped, so nothing moves (and nothing is logged).
 */
__attribute__((destructor(101)))
static void staticcall_object_unregister(void)
{
	struct image im = { 0, 0, 0, 0 };

	if (registered)
		staticcall_object_remove(&this_object);
	registered = 0;
	if (staticcall_host_exiting() || !dl_iterate_phdr(find_image, &im))
		return;
	if (im.main)
		staticcall_host_exit_begins();
	else
		staticcall_unload_range((void *)im.lo, (void *)im.hi);
}
