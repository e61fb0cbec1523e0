/*
 * runtime/linux/text-procmem.c - the "procmem" text writer: the core
 * stores into a shadow copy of each window; before each round of core
 * synchronisation and at the close every changed word is written to the
 * text with one pwrite to /proc/self/mem.  The kernel writes through its
 * own mapping of the page (the way a debugger writes a breakpoint): the
 * text mapping stays r-x, a page of a private file mapping becomes
 * private at its first write, MDWE and W^X filters do not object.
 *
 * What the kernel's copy does to an instruction another thread runs
 * (__access_remote_vm -> copy_to_user_page -> memcpy, Linux 6.x):
 *   x86-64     memcpy is `rep movsb` on CPUs with FSRM: no promise of one
 *              8-byte store.  The platform says so (text_torn) and the
 *              core writes such sites with the trap protocol, whose every
 *              step changes bytes no thread executes or one byte.
 *   arm64      memcpy of 4 bytes is `ldr w; ldr w; str w; str w` of the
 *              same aligned word (arch/arm64/lib/memcpy.S, 4..7 bytes):
 *              two single-copy-atomic stores of the new word; the kernel
 *              then cleans and invalidates the caches (flush_ptrace_access).
 *   powerpc64  memcpy of 4 aligned bytes is one `stw` (memcpy_64.S,
 *              memcpy_power7.S short copies); the kernel flushes the
 *              icache for the page (flush_icache_user_page).
 * One word per pwrite: a copy spanning words another thread executes is a
 * byte copy, never a sequence of aligned stores.
 *
 * A pwrite the kernel refuses after the first window opened (a seccomp
 * filter installed meanwhile, no memory for the private copy of a page)
 * fails the whole write, not one word of it: the shadows open together
 * are one write (staticcall/platform.h, text_close).  Every word already
 * written since the first of them opened is put back, the last written
 * first, with a round of core synchronisation between the flushes they
 * came from, so the text goes back through the same states it went
 * forward through (each one safe for a thread running it: the trap
 * protocol's on x86-64); nothing more is written until the last shadow
 * closes, and every close returns the error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "staticcall/log.h"
#include "text.h"
#include "hostcpu.h"

/* The unit of one atomic instruction store (arch/<cpu>/hostcpu.h). */
#define UNIT	SC_HOST_STORE_UNIT

struct shadow {
	uintptr_t lo, hi;
	size_t off;		/* of its copy in the arena */
	unsigned int refs;	/* windows open inside */
};
static struct shadow *shadows;	/* in address order, never overlapping */
static size_t shadow_cap;
size_t sc_procmem_shadows;	/* open shadows (text.c's fast path reads it) */
#define nshadows sc_procmem_shadows
static unsigned char *arena;
static size_t arena_len, arena_cap;
static int mem_fd = -1;
static pid_t mem_pid;

/* Since the first open shadow: every word written, its old bytes and the
 * flush it came from; the first refusal (sticky until the next first
 * open). */
struct undo {
	uintptr_t addr;
	unsigned int flush;
	unsigned char old[UNIT];
};
static struct undo *undo;
static size_t nundo, undo_cap;
static unsigned int flushes;
static int failed;

/*
 * The testsuite's stand-in for a kernel refusal where it cannot install
 * a seccomp filter (qemu-user): non-zero, the errno a pwrite at @addr
 * fails with.  Hidden: not part of the library's interface.
 */
__attribute__((visibility("hidden"))) int (*sc_procmem_fault)(uintptr_t addr);

static struct shadow *shadow_find(uintptr_t a)
{
	size_t l = 0, h = nshadows;

	while (l < h) {
		size_t m = (l + h) / 2;

		if (a < shadows[m].lo)
			h = m;
		else if (a >= shadows[m].hi)
			l = m + 1;
		else
			return &shadows[m];
	}
	return NULL;
}

/* /proc/self/mem of this process (an inherited descriptor is the parent's) */
static int mem_open(void)
{
	pid_t pid = getpid();

	if (mem_fd >= 0 && mem_pid == pid)
		return 0;
	if (mem_fd >= 0)
		close(mem_fd);
	mem_fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	mem_pid = pid;
	return mem_fd < 0 ? -errno : 0;
}

static int mem_write(const void *buf, size_t len, uintptr_t addr)
{
	ssize_t r = pwrite(mem_fd, buf, len, (off_t)addr);

	return r == (ssize_t)len ? 0 : r < 0 ? -errno : -EIO;
}

static int room(size_t n, size_t len)
{
	if (n > shadow_cap) {
		size_t cap = shadow_cap ? 2 * shadow_cap : 64;
		struct shadow *s;

		while (cap < n)
			cap *= 2;
		s = realloc(shadows, cap * sizeof(*s));
		if (!s)
			return -ENOMEM;
		shadows = s;
		shadow_cap = cap;
	}
	if (arena_len + len > arena_cap) {
		size_t cap = arena_cap ? arena_cap : 65536;
		unsigned char *a;

		while (cap < arena_len + len)
			cap *= 2;
		a = realloc(arena, cap);
		if (!a)
			return -ENOMEM;
		arena = a;
		arena_cap = cap;
	}
	return 0;
}

/*
 * Open [start, start + len).  Windows of one update may overlap (two keys
 * of a batch with sites in one page): one shadow then covers their union,
 * holding what was stored in either, so no shadow ever holds a stale copy
 * of a word another one changed (each flush would write it back: the
 * lost write of the old procmem-page writer).
 */
int sc_procmem_open(uintptr_t start, size_t len)
{
	uintptr_t lo = start, hi = start + len;
	size_t i, j, n, off;
	unsigned int refs = 1;
	int err = mem_open();

	/* the first write proves the kernel lets us (same bytes: no change) */
	if (!err && !nshadows)
		err = mem_write((const void *)start, UNIT, start);
	if (err)
		return err;
	if (!nshadows) {
		nundo = 0;
		flushes = 0;
		failed = 0;
	}
	/* shadows[i..j) overlap the range */
	for (i = 0; i < nshadows && shadows[i].hi <= lo; i++)
		;
	for (j = i; j < nshadows && shadows[j].lo < hi; j++)
		;
	if (i < j) {
		lo = shadows[i].lo < lo ? shadows[i].lo : lo;
		hi = shadows[j - 1].hi > hi ? shadows[j - 1].hi : hi;
	}
	err = room(nshadows + 1, hi - lo);
	if (err)
		return err;
	off = arena_len;
	arena_len += hi - lo;
	memcpy(arena + off, (const void *)lo, hi - lo);
	for (n = i; n < j; n++) {
		memcpy(arena + off + (shadows[n].lo - lo), arena + shadows[n].off,
		       shadows[n].hi - shadows[n].lo);
		refs += shadows[n].refs;
	}
	/* shadows[i..j) become one entry at i */
	memmove(&shadows[i + 1], &shadows[j], (nshadows - j) * sizeof(*shadows));
	nshadows -= j - i;
	nshadows++;
	shadows[i].lo = lo;
	shadows[i].hi = hi;
	shadows[i].off = off;
	shadows[i].refs = refs;
	return 0;
}

/*
 * A write was refused (@err): every word written since the first shadow
 * opened goes back, in reverse, a round of core synchronisation between
 * flushes; nothing more is written until the last shadow closes.
 */
static void put_back(int err)
{
	size_t i = nundo, lost = 0;

	failed = err;
	sc_text_log("staticcall: pwrite /proc/self/mem refused (errno %d): the update fails, what it wrote is put back (%lu words)",
		    -err, (unsigned long)nundo);
	while (i-- > 0) {
		if (mem_write(undo[i].old, UNIT, undo[i].addr) && !lost++)
			sc_text_log("staticcall: pwrite /proc/self/mem at %p refused too (errno %d): text left partly written",
				    (void *)undo[i].addr, errno);
		if (!i || undo[i - 1].flush != undo[i].flush)
			sc_linux_sync_round();
	}
	nundo = 0;
}

/* Write every word of @s's shadow that differs from the text, each
 * recorded first (put_back). */
static void flush(const struct shadow *s)
{
	const unsigned char *b = arena + s->off;
	uintptr_t i;
	int err;

	for (i = s->lo; !failed && i < s->hi; i += UNIT) {
		if (!memcmp(b + (i - s->lo), (const void *)i, UNIT))
			continue;
		if (nundo == undo_cap) {
			size_t cap = undo_cap ? 2 * undo_cap : 256;
			struct undo *u = realloc(undo, cap * sizeof(*u));

			if (!u) {
				put_back(-ENOMEM);
				break;
			}
			undo = u;
			undo_cap = cap;
		}
		undo[nundo].addr = i;
		undo[nundo].flush = flushes;
		memcpy(undo[nundo].old, (const void *)i, UNIT);
		err = sc_procmem_fault ? sc_procmem_fault(i) : 0;
		if (!err)
			err = mem_write(b + (i - s->lo), UNIT, i);
		if (err)
			put_back(err);
		else
			nundo++;
	}
}

int sc_procmem_close(uintptr_t start, size_t len)
{
	struct shadow *s = nshadows ? shadow_find(start) : NULL;

	(void)len;
	if (!s)
		return 0;
	if (!--s->refs) {
		flush(s);
		flushes++;
		memmove(s, s + 1,
			(size_t)(&shadows[nshadows] - (s + 1)) * sizeof(*s));
		if (--nshadows == 0)
			arena_len = 0;
	}
	return failed ? failed : 1;
}

void *sc_procmem_alias(uintptr_t addr)
{
	struct shadow *s = nshadows ? shadow_find(addr) : NULL;

	return s ? arena + s->off + (addr - s->lo) : NULL;
}

void sc_procmem_flush(void)
{
	size_t i;

	for (i = 0; i < nshadows; i++)
		flush(&shadows[i]);
	flushes++;
}

/* In a forked child: the descriptor reads and writes the parent. */
void sc_procmem_forked(void)
{
	if (mem_fd >= 0)
		close(mem_fd);
	mem_fd = -1;
}
