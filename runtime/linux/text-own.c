/*
 * runtime/linux/text-own.c - for the nx writer (text-nx.c): which
 * executable pages it may take execute permission from.  Not those
 * holding code the updating thread runs between its two mprotect calls
 * (the runtime, the libc functions it calls) nor what a parked thread
 * runs (the handler of text-park.c, libc's signal return); and a window
 * is widened only within one executable segment (dl_iterate_phdr's
 * PT_LOAD with PF_X), read again when an object came or went.
 */
#define _GNU_SOURCE
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "text.h"

struct seg {
	uintptr_t lo, hi;	/* page-rounded PT_LOAD with PF_X */
	int own;		/* holds code the writer or a parked thread runs */
};
static struct seg *segs;
static size_t nsegs, seg_cap;
static unsigned long long seg_adds, seg_subs;
static int segs_known, segs_checked;

/*
 * Code that must stay executable while a window is open: the runtime's
 * own (the core runs between the mprotect calls; the handler), and libc's
 * mprotect, syscall and pthread_sigmask (libc's signal return, x86-64's
 * __restore_rt, is in the same segment; arm64 and powerpc64 return
 * through the vDSO, which has no sites).  In libstaticcall.a the
 * runtime's code is the section staticcall_text (runtime/local.mk): a
 * program linked with it keeps only those pages executable; otherwise
 * (libstaticcall.so) the whole segment holding it, which has no sites.
 */
extern char __start_staticcall_text[] __attribute__((weak, visibility("hidden")));
extern char __stop_staticcall_text[] __attribute__((weak, visibility("hidden")));
static uintptr_t own_code[5], own_lo, own_hi;

#ifndef PIC
/*
 * libstaticcall.a: this function makes staticcall_text start on a page
 * of its own (an output section is as aligned as its most aligned input),
 * so the last page of the program's code before it, which may hold
 * sites, holds none of the runtime's.  The largest page size of the CPU.
 */
#if defined(__x86_64__)
#define TEXT_ALIGN	4096
#else
#define TEXT_ALIGN	65536
#endif
__attribute__((used, aligned(TEXT_ALIGN))) static void text_first_page(void)
{
}
#endif

static int count_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	unsigned long long *c = data;

	if (size < offsetof(struct dl_phdr_info, dlpi_subs) + sizeof(info->dlpi_subs))
		return -1;
	c[0] = info->dlpi_adds;
	c[1] = info->dlpi_subs;
	return 1;	/* the counters are the same in every call */
}

static int seg_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	unsigned int i, j;

	(void)size;
	(void)data;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];
		struct seg *s;

		if (p->p_type != PT_LOAD || !(p->p_flags & PF_X))
			continue;
		if (nsegs == seg_cap) {
			size_t cap = seg_cap ? 2 * seg_cap : 64;

			s = realloc(segs, cap * sizeof(*s));
			if (!s)
				return 1;
			segs = s;
			seg_cap = cap;
		}
		s = &segs[nsegs++];
		s->lo = (info->dlpi_addr + p->p_vaddr) & ~(sc_text_page - 1);
		s->hi = (info->dlpi_addr + p->p_vaddr + p->p_memsz +
			 sc_text_page - 1) & ~(sc_text_page - 1);
		s->own = 0;
		for (j = 0; j < sizeof(own_code) / sizeof(own_code[0]); j++)
			if (own_code[j] >= s->lo && own_code[j] < s->hi)
				s->own = 1;
	}
	return 0;
}

static int seg_cmp(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* The segment list, read again when an object came or went (once per
 * lock hold at most: dl_iterate_phdr's counters). */
static void segs_refresh(void)
{
	unsigned long long c[2] = { 0, 0 };

	if (segs_checked)
		return;
	segs_checked = 1;
	if (dl_iterate_phdr(count_cb, c) != 1) {
		segs_known = 0;
		return;
	}
	if (segs_known && c[0] == seg_adds && c[1] == seg_subs)
		return;
	nsegs = 0;
	dl_iterate_phdr(seg_cb, NULL);
	qsort(segs, nsegs, sizeof(*segs), seg_cmp);
	seg_adds = c[0];
	seg_subs = c[1];
	segs_known = 1;
}

static const struct seg *seg_of(uintptr_t a)
{
	size_t lo = 0, hi = nsegs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a < segs[mid].lo)
			hi = mid;
		else if (a >= segs[mid].hi)
			lo = mid + 1;
		else
			return &segs[mid];
	}
	return NULL;
}

/* The last answer of sc_nx_own(): the same for [c_lo, c_hi) (a lock hold). */
static uintptr_t c_lo, c_hi;
static int c_own;

int sc_nx_own(uintptr_t start, size_t len)
{
	const struct seg *s;

	if (start >= c_lo && start + len <= c_hi)
		return c_own;	/* sites come in address order: the usual case */
	if (start < own_hi && own_lo < start + len)
		return 1;
	segs_refresh();
	if (!segs_known)
		return 1;	/* cannot tell: the safe side */
	s = seg_of(start);
	if (!s)
		s = seg_of(start + len - 1);
	if (s && start >= s->lo && start + len <= s->hi) {
		/* the segment's part on @start's side of the runtime's pages */
		c_lo = s->lo;
		c_hi = s->hi;
		if (own_lo < c_hi && c_lo < own_hi) {
			if (start < own_lo)
				c_hi = own_lo;
			else
				c_lo = own_hi;
		}
		c_own = s->own;
	}
	return s && s->own;
}

void sc_own_segment(uintptr_t a, uintptr_t *lo, uintptr_t *hi)
{
	const struct seg *s = seg_of(a);

	if (s) {
		*lo = s->lo;
		*hi = s->hi;
	}
}

int sc_own_crosses(uintptr_t lo, uintptr_t hi)
{
	return lo < own_hi && own_lo < hi;
}

void sc_own_unlocked(void)
{
	segs_checked = 0;
	c_lo = c_hi = 0;
}

/* Called once, before the first window. */
void sc_own_init(void)
{
	own_code[0] = (uintptr_t)mprotect;
	own_code[1] = (uintptr_t)syscall;
	own_code[2] = (uintptr_t)pthread_sigmask;
	if (__start_staticcall_text && __stop_staticcall_text) {
		own_lo = (uintptr_t)__start_staticcall_text & ~(sc_text_page - 1);
		own_hi = ((uintptr_t)__stop_staticcall_text + sc_text_page - 1) &
			 ~(sc_text_page - 1);
	} else {
		/* libstaticcall.so: its segment */
		own_code[3] = (uintptr_t)sc_own_init;
		own_code[4] = (uintptr_t)sc_park_installed;
	}
}
