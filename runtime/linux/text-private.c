/*
 * runtime/linux/text-private.c - for the nx writer (text-nx.c): the
 * pages a window writes become private before the stores, in two system
 * calls, instead of one copy-on-write fault per page during them.
 *
 * Why: a store to a page of the file mapping that is still the file's
 * takes a write fault that copies the page and replaces a present
 * read-only entry, which the kernel must flush from every CPU the process
 * ran on (an IPI per page: on a virtual machine 100 us or more each; the
 * 1,000-page key's first update cost 50x a later one).  An entry that is
 * not present needs no flush, neither to copy nor to change protection.
 * So:
 *   1. sc_private_drop(), before the window is made writable:
 *      /proc/self/pagemap says which pages are still the file's (present
 *      and file-backed, bit 61); those entries are dropped with
 *      MADV_DONTNEED (one flush for the whole range).  A thread that runs
 *      such a page meanwhile faults the file's page in again, unchanged.
 *      A page already private (written by us before, by a debugger's
 *      breakpoint, by the loader's text relocations) is never dropped: it
 *      would lose what was written.  A page not present is left alone.
 *      The mprotect that makes the window writable then changes no
 *      present entry and flushes nothing (unless a thread faulted one in).
 *   2. sc_private_fill(), the window writable and not executable (no
 *      thread runs there: they are parked, text-park.c):
 *      MADV_POPULATE_WRITE (Linux 5.14) faults it in writable, each page a
 *      fresh private copy of the file's page, no flush.
 * The pages made private are exactly the window's (the pages holding the
 * sites), as the stores would have made them.  Each range is done once
 * (a list of ranges known private, only grown); any step the kernel
 * refuses is skipped and the stores fault as before.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "text.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23
#endif
#define PM_PRESENT	(1ULL << 63)
#define PM_SWAP		(1ULL << 62)
#define PM_FILE		(1ULL << 61)

struct range {
	uintptr_t lo, hi;
};
static struct range *known;	/* sorted, disjoint: pages made private */
static size_t nknown, known_cap;
static int pagemap_fd = -2;	/* -2: not opened yet, -1: unavailable */
static int populate_refused;

/* Index of the first range ending after @a. */
static size_t known_at(uintptr_t a)
{
	size_t lo = 0, hi = nknown;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (known[mid].hi <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int is_known(uintptr_t lo, uintptr_t hi)
{
	size_t i = known_at(lo);

	return i < nknown && known[i].lo <= lo && hi <= known[i].hi;
}

/* Record [lo, hi) as private, merged with its neighbours. */
static void add_known(uintptr_t lo, uintptr_t hi)
{
	size_t i = known_at(lo), j = i;

	if (i > 0 && known[i - 1].hi == lo)
		i--;
	while (j < nknown && known[j].lo <= hi)
		j++;
	if (i < j) {
		/* [i, j) overlap or touch: one range */
		lo = lo < known[i].lo ? lo : known[i].lo;
		hi = hi > known[j - 1].hi ? hi : known[j - 1].hi;
		known[i].lo = lo;
		known[i].hi = hi;
		for (; j < nknown; j++)
			known[++i] = known[j];
		nknown = i + 1;
		return;
	}
	if (nknown == known_cap) {
		size_t cap = known_cap ? 2 * known_cap : 64;
		struct range *r = realloc(known, cap * sizeof(*r));

		if (!r)
			return;	/* not remembered: done again next time */
		known = r;
		known_cap = cap;
	}
	for (j = nknown; j > i; j--)
		known[j] = known[j - 1];
	known[i].lo = lo;
	known[i].hi = hi;
	nknown++;
}

/* Drop the entries of [lo, hi) that still map the file's pages. */
static void drop_file_pages(uintptr_t lo, uintptr_t hi)
{
	uint64_t pm[512];
	uintptr_t p = lo, run = 0;
	size_t i, n;
	ssize_t got;

	while (p < hi) {
		n = (hi - p) / sc_text_page;
		n = n > 512 ? 512 : n;
		got = pread(pagemap_fd, pm, n * 8, (off_t)(p / sc_text_page * 8));
		if (got < (ssize_t)(n * 8))
			break;
		for (i = 0; i < n; i++, p += sc_text_page) {
			int file = (pm[i] & (PM_PRESENT | PM_SWAP | PM_FILE)) ==
				   (PM_PRESENT | PM_FILE);

			if (file && !run)
				run = p;
			if (!file && run) {
				madvise((void *)run, p - run, MADV_DONTNEED);
				run = 0;
			}
		}
	}
	if (run)
		madvise((void *)run, p - run, MADV_DONTNEED);
}

/* [lo, hi), page-aligned, is about to be made writable (step 1). */
void sc_private_drop(uintptr_t lo, uintptr_t hi)
{
	if (populate_refused || lo >= hi || is_known(lo, hi))
		return;
	if (pagemap_fd == -2)
		pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (pagemap_fd >= 0)
		drop_file_pages(lo, hi);
}

/* [lo, hi), page-aligned, is writable and no thread runs there (step 2). */
void sc_private_fill(uintptr_t lo, uintptr_t hi)
{
	if (populate_refused || lo >= hi || is_known(lo, hi))
		return;
	if (madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE)) {
		/* EINVAL: before Linux 5.14, for good; the stores fault instead */
		if (errno == EINVAL)
			populate_refused = 1;
		return;
	}
	add_known(lo, hi);
}

/* Ranges unmapped (dlclose): they may be mapped again, from a file. */
void sc_private_forget(uintptr_t lo, uintptr_t hi)
{
	size_t i, j;

	for (i = j = 0; i < nknown; i++)
		if (known[i].hi <= lo || known[i].lo >= hi)
			known[j++] = known[i];
	nknown = j;
}

/*
 * fork: the child's descriptor reads the parent's pagemap (/proc/self
 * was resolved at the open), and in both processes the private pages are
 * now shared with the other until written: done again.
 */
void sc_private_forked(void)
{
	if (pagemap_fd >= 0)
		close(pagemap_fd);
	pagemap_fd = -2;
	nknown = 0;
}

void sc_private_fork_parent(void)
{
	nknown = 0;
}
