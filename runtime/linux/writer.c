/*
 * runtime/linux/writer.c - how the hosted platform writes text without
 * ever making a page writable and executable at once.
 *
 * The core opens ranges of text (text_open), stores through the address
 * text_alias() gives for each executing address, and closes them
 * (text_close).  Three writers (doc/runtime.md, "Text writers", compares
 * them with figures):
 *
 *   alias     the private r-x mapping holding the text (the whole mapping,
 *             at the first write into it) is replaced, at the same
 *             address and with the same bytes, by a MAP_SHARED r-x mapping
 *             of a memfd copy; a second view of the memfd, mapped
 *             elsewhere and never executable, is PROT_READ|PROT_WRITE
 *             while an update runs and PROT_NONE otherwise, so outside an
 *             update nothing writable maps the code; the core's ordinary
 *             atomic stores go through it.  The view is MADV_DONTFORK:
 *             a child never inherits it.  After a fork both processes
 *             share the memfd's pages: each copies its text to a fresh
 *             memfd (and view) before its next write (fork_gen).
 *   procmem   stores go to a shadow copy of the range; at close (and
 *             before each core synchronisation, for the breakpoint
 *             protocol's phases) every changed word (procmem) or every
 *             changed span of a page (procmem-page) is written with pwrite
 *             to /proc/self/mem: the kernel writes through its own mapping
 *             of the page, the text mapping stays r-x.
 *   mprotect  the RWX window of platform.c: the last fallback.
 *   mprotect-span  the benchmark's floor, not for programs: one RWX window
 *             over the whole mapping per update, however many pages the
 *             core opens (what the stores cost with the fewest syscalls).
 *
 * Default: alias; when the OS refuses it, procmem; when that is refused
 * too, mprotect; each switch is logged once.  Text already aliased is
 * always written through its alias (the other two cannot write a shared
 * mapping safely: a write there would reach a forked child's text).
 * Every function but staticcall_linux_writer_set() runs with the updater
 * lock held (the core calls the hooks under it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "staticcall/platform.h"
#include "staticcall/host.h"
#include "staticcall/log.h"
#include "staticcall/writer.h"
#include "writer.h"
#include "host.h"

#ifndef MFD_EXEC
#define MFD_EXEC	0x0010U
#endif

enum writer { W_ALIAS, W_PROCMEM, W_PROCMEM_PAGE, W_MPROTECT, W_SPAN };
static const char *const writer_names[] = {
	"alias", "procmem", "procmem-page", "mprotect", "mprotect-span",
};
static enum writer writer;
static uintptr_t ps;

/* The unit of one atomic instruction store (arch/<cpu>/host.h). */
#define UNIT	SC_HOST_STORE_UNIT

static void log_once(int *done, const char *fmt, const char *what, int err)
{
	if (*done)
		return;
	*done = 1;
	staticcall_log(fmt, what, err);
}

/* ---- the alias writer ---- */

struct alias {
	uintptr_t lo, hi;	/* executing range: a MAP_SHARED memfd */
	unsigned char *rw;	/* read-write view while an update runs */
	unsigned int refs;	/* open ranges inside */
	unsigned long gen;	/* fork_gen when this memfd became ours */
	pid_t pid;		/* and the process it became ours in */
	int span;		/* not an alias: an mprotect-span window */
	int in_res;		/* its view lies in the view reservation */
};
static struct alias *aliases;
static size_t naliases, alias_cap, alias_last;
static unsigned long fork_gen;

static struct alias *alias_find(uintptr_t a)
{
	size_t lo = 0, hi = naliases;

	if (alias_last < naliases && a >= aliases[alias_last].lo &&
	    a < aliases[alias_last].hi)
		return &aliases[alias_last];
	while (lo < hi) {	/* aliases[] is in address order */
		size_t mid = lo + (hi - lo) / 2;

		if (a < aliases[mid].lo) {
			hi = mid;
		} else if (a >= aliases[mid].hi) {
			lo = mid + 1;
		} else {
			alias_last = mid;
			return &aliases[mid];
		}
	}
	return NULL;
}

/*
 * This process's id, asked once while the updater lock is held (a view
 * made in another process, before a fork, is not ours to write).
 */
static pid_t pid_now;

static pid_t this_pid(void)
{
	if (!pid_now)
		pid_now = getpid();
	return pid_now;
}

/*
 * The read-write views of the aliases lie side by side in one reserved
 * range (PROT_NONE, not inherited, not dumped), so that an update makes
 * them all writable with one mprotect and all inaccessible again with
 * one, however many objects it writes: per object it would be two system
 * calls, the larger part of an update of a key in hundreds of objects.
 * A view given back is left as reserved memory, never reused.  When the
 * reservation is full (or cannot be made) views are mapped on their own.
 */
#define VIEW_RESERVE	((size_t)1 << 30)
static unsigned char *vres;
static size_t vres_used;
static pid_t vres_pid;
static int views_rw;		/* vres is writable (until the unlock) */

/* Room for a view of @size bytes in the reservation, or NULL. */
static unsigned char *view_room(size_t size)
{
	unsigned char *p;

	if (vres && vres_pid != this_pid()) {
		vres = NULL;	/* a forked child: nothing of it is here */
		views_rw = 0;
	}
	if (!vres) {
		p = mmap(NULL, VIEW_RESERVE, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
		madvise(p, VIEW_RESERVE, MADV_DONTFORK);
		madvise(p, VIEW_RESERVE, MADV_DONTDUMP);
		vres = p;
		vres_used = 0;
		vres_pid = this_pid();
	}
	if (size > VIEW_RESERVE - vres_used)
		return NULL;
	p = vres + vres_used;
	vres_used += size;
	return p;
}

/* Give @a's view back (reserved memory again, or unmapped). */
static void view_drop(struct alias *a)
{
	size_t size = a->hi - a->lo;

	if (!a->rw)
		return;
	if (a->in_res && vres_pid == this_pid()) {
		if (mmap(a->rw, size, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
			 -1, 0) != MAP_FAILED)
			madvise(a->rw, size, MADV_DONTFORK);
	} else if (!a->in_res) {
		munmap(a->rw, size);
	}
	a->rw = NULL;
}

/*
 * @a's view writable (@rw) or not: alone, or all reserved views at once,
 * writable from the first open while the updater lock is held until it
 * is released (an update opens and closes many windows: veneers first,
 * then the sites).  0 or -1 (errno set).
 */
static int view_protect(struct alias *a, int rw)
{
	if (!a->in_res)
		return mprotect(a->rw, a->hi - a->lo,
				rw ? PROT_READ | PROT_WRITE : PROT_NONE);
	if (!rw || views_rw)
		return 0;
	if (mprotect(vres, vres_used, PROT_READ | PROT_WRITE))
		return -1;
	views_rw = 1;
	return 0;
}

/*
 * A snapshot of /proc/self/maps, read at most once while the updater lock
 * is held (and again on a miss): a key spread over many objects needs one
 * read, not one per object, each as long as there are objects.  Mappings
 * we change while it is valid are changed in it too (alias_map) or end it
 * (the mprotect-span window).
 */
struct vma {
	uintptr_t lo, hi;
	char perms[5];
	char name[40];	/* basename of the path, "anon" without one */
};
static struct vma *vmas;
static size_t nvmas, vma_cap;
static int vmas_valid;

static const char *hex(const char *p, uintptr_t *v)
{
	uintptr_t x = 0;

	for (;; p++) {
		unsigned int d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned int)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			d = (unsigned int)(*p - 'a' + 10);
		else
			break;
		x = x << 4 | d;
	}
	*v = x;
	return p;
}

static const char *skip_field(const char *p)
{
	while (*p == ' ')
		p++;
	while (*p && *p != ' ')
		p++;
	return p;
}

/* One line of maps ("lo-hi perms offset dev inode   path") into *@v. */
static int vma_parse(const char *line, struct vma *v)
{
	const char *p = hex(line, &v->lo), *base;
	size_t n;

	if (*p != '-')
		return -1;
	p = hex(p + 1, &v->hi);
	if (*p++ != ' ' || strlen(p) < 4)
		return -1;
	memcpy(v->perms, p, 4);
	v->perms[4] = 0;
	p = skip_field(skip_field(skip_field(p + 4)));
	while (*p == ' ')
		p++;
	base = strrchr(p, '/');
	/* an anonymous mapping (a veneer area) has no path */
	base = base ? base + 1 : *p ? p : "anon";
	n = strlen(base);
	if (n >= sizeof(v->name))
		n = sizeof(v->name) - 1;
	memcpy(v->name, base, n);
	v->name[n] = 0;
	return 0;
}

static int maps_read(void)
{
	static char buf[8192];
	size_t have = 0;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	nvmas = 0;
	for (;;) {
		ssize_t r = read(fd, buf + have, sizeof(buf) - 1 - have);
		char *line = buf, *nl;

		if (r <= 0)
			break;
		have += (size_t)r;
		buf[have] = 0;
		while ((nl = strchr(line, '\n'))) {
			*nl = 0;
			if (nvmas == vma_cap) {
				size_t cap = vma_cap ? 2 * vma_cap : 256;
				struct vma *n = realloc(vmas, cap * sizeof(*n));

				if (!n) {
					close(fd);
					return -1;
				}
				vmas = n;
				vma_cap = cap;
			}
			if (!vma_parse(line, &vmas[nvmas]))
				nvmas++;
			line = nl + 1;
		}
		have -= (size_t)(line - buf);
		memmove(buf, line, have);
		if (have == sizeof(buf) - 1)
			have = 0;	/* a line longer than the buffer */
	}
	close(fd);
	vmas_valid = 1;
	return 0;
}

/* The snapshot's mapping holding @a (maps is in address order), or NULL. */
static struct vma *vma_find(uintptr_t a)
{
	size_t lo = 0, hi = nvmas;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a < vmas[mid].lo)
			hi = mid;
		else if (a >= vmas[mid].hi)
			lo = mid + 1;
		else
			return &vmas[mid];
	}
	return NULL;
}

/*
 * The mapping holding @addr: its snapshot entry, read again when it is
 * not there (a mapping made since); NULL when there is none.
 */
static struct vma *vma_of(uintptr_t addr)
{
	struct vma *v = vmas_valid ? vma_find(addr) : NULL;

	if (!v && !maps_read())
		v = vma_find(addr);
	return v;
}

void sc_linux_writer_unlocked(void)
{
	vmas_valid = 0;
	pid_now = 0;
	if (views_rw && mprotect(vres, vres_used, PROT_NONE))
		staticcall_log("staticcall: cannot close the text views %p, errno %d",
			       (void *)vres, errno);
	views_rw = 0;
}

void sc_linux_writer_mapped(uintptr_t lo, uintptr_t hi)
{
	size_t i;

	if (!vmas_valid)
		return;
	hi = (hi + ps - 1) & ~(ps - 1);
	for (i = 0; i < nvmas && vmas[i].hi <= lo; i++)
		;
	if (nvmas == vma_cap || (i < nvmas && vmas[i].lo < hi)) {
		vmas_valid = 0;	/* no room, or not what the snapshot says */
		return;
	}
	memmove(&vmas[i + 1], &vmas[i], (nvmas - i) * sizeof(*vmas));
	nvmas++;
	vmas[i].lo = lo;
	vmas[i].hi = hi;
	memcpy(vmas[i].perms, "r-xp", 5);
	memcpy(vmas[i].name, "anon", 5);
}

/*
 * Put a fresh memfd copy of [lo, hi) under the executing range, the same
 * bytes at the same address, and leave its read-write view in *@rw.  The
 * replacement is one mmap(MAP_FIXED) under the kernel's mmap lock: another
 * thread executing the range either runs the old page or faults, waits
 * for the lock and runs the new one, with the same bytes.
 */
static int alias_map(uintptr_t lo, uintptr_t hi, const char *name,
		     unsigned char **rw, int *in_res)
{
	char mname[64];
	size_t size = hi - lo, off;
	ssize_t r = 0;
	void *v, *x;
	int fd, err;

	snprintf(mname, sizeof(mname), "staticcall:%s", name);
	fd = memfd_create(mname, MFD_CLOEXEC | MFD_EXEC);
	if (fd < 0 && errno == EINVAL)	/* kernels before 6.3 */
		fd = memfd_create(mname, MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* the kernel copies into fresh pages (none zeroed, none faulted) */
	err = 0;
	for (off = 0; off < size && !err; off += (size_t)r) {
		r = pwrite(fd, (const char *)lo + off, size - off, (off_t)off);
		if (r <= 0)
			err = r < 0 ? -errno : -EIO;
	}
	if (err) {
		close(fd);
		return err;
	}
	v = view_room(size);
	*in_res = v != NULL;
	/* writable now: an update is running (its close makes it PROT_NONE) */
	v = mmap(v, size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | (v ? MAP_FIXED : 0), fd, 0);
	if (v == MAP_FAILED) {
		err = -errno;
		close(fd);
		return err;
	}
	x = mmap((void *)lo, size, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED,
		 fd, 0);
	err = x == MAP_FAILED ? -errno : 0;
	close(fd);
	if (err) {
		struct alias tmp = { lo, hi, v, 0, 0, 0, 0, *in_res };

		view_drop(&tmp);
		return err;
	}
	/* a forked child gets no view (it makes its own copy); a core dump
	   has these pages once, at the text's address */
	madvise(v, size, MADV_DONTFORK);
	madvise(v, size, MADV_DONTDUMP);
	*rw = v;
	return 0;
}

static int alias_add(uintptr_t lo, uintptr_t hi, unsigned char *rw,
		     int in_res)
{
	size_t i;

	if (naliases == alias_cap) {
		size_t cap = alias_cap ? 2 * alias_cap : 16;
		struct alias *n = realloc(aliases, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		aliases = n;
		alias_cap = cap;
	}
	for (i = naliases; i > 0 && aliases[i - 1].lo > lo; i--)
		;
	memmove(&aliases[i + 1], &aliases[i], (naliases - i) * sizeof(*aliases));
	naliases++;
	aliases[i].lo = lo;
	aliases[i].hi = hi;
	aliases[i].rw = rw;
	aliases[i].refs = 0;	/* alias_open() opens it */
	aliases[i].gen = fork_gen;
	aliases[i].pid = this_pid();
	aliases[i].span = 0;
	aliases[i].in_res = in_res;
	alias_last = i;
	return 0;
}

static int alias_refused_logged, alias_window_logged;

/*
 * Open [start, start + len) through an alias.  1: this range cannot be
 * aliased (not inside one private r-x mapping); the caller uses another
 * writer for it.  <0: the OS refused the alias.
 */
static int alias_open(uintptr_t start, size_t len)
{
	struct alias *a = alias_find(start);
	struct vma *v;
	uintptr_t lo, hi;
	unsigned char *rw;
	char name[64];
	int err, in_res;

	if (a) {
		if (start + len > a->hi)
			return -EINVAL;	/* cannot happen: one mapping each */
		if (a->span) {
			if (!a->refs &&
			    (err = sc_linux_mprotect_open(a->lo, a->hi - a->lo)))
				return err;
		} else if (!a->refs &&
			   (a->gen != fork_gen || a->pid != this_pid())) {
			/*
			 * Shared with a forked process: copy before writing.
			 * In a child the view was never inherited (even after
			 * a fork that skipped pthread_atfork, hence the pid).
			 */
			int in_res;

			if (a->pid != this_pid())
				a->rw = NULL;
			err = alias_map(a->lo, a->hi, "forked", &rw, &in_res);
			if (err)
				return err;
			view_drop(a);
			a->rw = rw;
			a->in_res = in_res;
			a->gen = fork_gen;
			a->pid = this_pid();
			if (view_protect(a, 1))
				return -errno;
		} else if (!a->refs && view_protect(a, 1)) {
			return -errno;
		}
		a->refs++;
		return 0;
	}
	/*
	 * Only a private mapping (a program's text, a veneer area) or one of
	 * our own copies: another shared mapping (a JIT's dual mapping) is
	 * someone else's memory and stays as it is.
	 */
	v = vma_of(start);
	if (!v || start + len > v->hi || strncmp(v->perms, "r-x", 3) ||
	    (v->perms[3] != 'p' && strncmp(v->name, "memfd:staticcall:", 17))) {
		if (!alias_window_logged) {
			alias_window_logged = 1;
			staticcall_log("staticcall: text %p+%lx is not inside one private r-x mapping: written through /proc/self/mem",
				       (void *)start, (unsigned long)len);
		}
		return 1;
	}
	lo = v->lo;
	hi = v->hi;
	err = alias_map(lo, hi, v->name, &rw, &in_res);
	if (err) {
		vmas_valid = 0;	/* the mapping may have changed */
		return err;
	}
	/* what maps now says of it */
	v->perms[3] = 's';
	snprintf(name, sizeof(name), "memfd:staticcall:%s", v->name);
	memcpy(v->name, name, sizeof(v->name));
	v->name[sizeof(v->name) - 1] = 0;
	err = alias_add(lo, hi, rw, in_res);
	if (err) {
		struct alias tmp = { lo, hi, rw, 0, 0, 0, 0, in_res };

		view_drop(&tmp);
		return err;
	}
	return alias_open(start, len);	/* opens the new alias */
}

static void alias_close(struct alias *a)
{
	if (--a->refs)
		return;
	if (a->span)
		sc_linux_mprotect_close(a->lo, a->hi - a->lo);
	else if (view_protect(a, 0))
		staticcall_log("staticcall: cannot close the text view %p, errno %d",
			       (void *)a->rw, errno);
}

/* ---- the /proc/self/mem writer ---- */

struct shadow {
	uintptr_t lo, hi;
	size_t off;		/* of its copy in the arena */
};
static struct shadow *shadows;
static size_t nshadows, shadow_cap;
static unsigned char *arena;
static size_t arena_len, arena_cap;
static int mem_fd = -1;
static pid_t mem_pid;
static int procmem_refused_logged;

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

static int procmem_open(uintptr_t start, size_t len)
{
	struct shadow *s;
	size_t i;
	int err = mem_open();

	/* the first write proves the kernel lets us (same bytes: no change) */
	if (!err && !nshadows)
		err = mem_write((const void *)start, UNIT, start);
	if (err)
		return err;
	if (nshadows == shadow_cap) {
		size_t cap = shadow_cap ? 2 * shadow_cap : 64;
		struct shadow *n = realloc(shadows, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		shadows = n;
		shadow_cap = cap;
	}
	if (arena_len + len > arena_cap) {
		size_t cap = arena_cap ? arena_cap : 65536;
		unsigned char *n;

		while (cap < arena_len + len)
			cap *= 2;
		n = realloc(arena, cap);
		if (!n)
			return -ENOMEM;
		arena = n;
		arena_cap = cap;
	}
	/* ranges usually arrive in address order: insert from the end */
	for (i = nshadows; i > 0 && shadows[i - 1].lo > start; i--)
		;
	memmove(&shadows[i + 1], &shadows[i], (nshadows - i) * sizeof(*s));
	s = &shadows[i];
	nshadows++;
	s->lo = start;
	s->hi = start + len;
	s->off = arena_len;
	memcpy(arena + s->off, (const void *)start, len);
	arena_len += len;
	return 0;
}

/* Write what changed in @s's shadow to the text. */
static void procmem_flush(const struct shadow *s)
{
	const unsigned char *b = arena + s->off;
	uintptr_t p, i;

	for (p = s->lo; p < s->hi; p += ps) {
		uintptr_t first = 0, last = 0;
		int any = 0;

		for (i = p; i < p + ps && i < s->hi; i += UNIT) {
			if (!memcmp(b + (i - s->lo), (const void *)i, UNIT))
				continue;
			if (writer != W_PROCMEM_PAGE) {
				if (mem_write(b + (i - s->lo), UNIT, i))
					staticcall_log("staticcall: pwrite /proc/self/mem at %p failed, errno %d",
						       (void *)i, errno);
				continue;
			}
			if (!any)
				first = i;
			last = i + UNIT;
			any = 1;
		}
		if (any && mem_write(b + (first - s->lo), last - first, first))
			staticcall_log("staticcall: pwrite /proc/self/mem at %p failed, errno %d",
				       (void *)first, errno);
	}
}

static void procmem_close(struct shadow *s)
{
	procmem_flush(s);
	memmove(s, s + 1, (size_t)(&shadows[nshadows] - (s + 1)) * sizeof(*s));
	if (--nshadows == 0)
		arena_len = 0;
}

/* ---- the platform hooks ---- */

/* The benchmark's floor: the whole mapping RWX once per update. */
static int span_open(uintptr_t start, size_t len)
{
	struct vma *v = vma_of(start);
	uintptr_t lo, hi;
	int err;

	if (!v || start + len > v->hi)
		return sc_linux_mprotect_open(start, len);
	lo = v->lo;
	hi = v->hi;
	vmas_valid = 0;	/* the window splits and merges mappings */
	err = sc_linux_mprotect_open(lo, hi - lo);
	if (!err && (err = alias_add(lo, hi, NULL, 0)))
		sc_linux_mprotect_close(lo, hi - lo);
	if (!err) {
		aliases[alias_last].span = 1;
		aliases[alias_last].refs = 1;
	}
	return err;
}

static int open_with(enum writer w, uintptr_t start, size_t len)
{
	int err;

	if (w == W_SPAN)
		return span_open(start, len);
	if (w == W_ALIAS) {
		err = alias_open(start, len);
		if (err <= 0 && err != -EACCES && err != -EPERM &&
		    err != -ENOSYS && err != -ENODEV)
			return err;
		if (err < 0) {
			log_once(&alias_refused_logged,
				 "staticcall: text writer: the OS refuses an executable memfd alias (%s%d); using /proc/self/mem",
				 "errno ", -err);
			writer = W_PROCMEM;
		}
		w = W_PROCMEM;
	}
	if (w == W_PROCMEM || w == W_PROCMEM_PAGE) {
		err = procmem_open(start, len);
		if (err != -EACCES && err != -EPERM && err != -EIO &&
		    err != -EFAULT && err != -ENOENT)
			return err;
		log_once(&procmem_refused_logged,
			 "staticcall: text writer: /proc/self/mem refuses writes to text (%s%d); using mprotect windows (text writable and executable while an update runs)",
			 "errno ", -err);
		writer = W_MPROTECT;
	}
	return sc_linux_mprotect_open(start, len);
}

int sc_linux_text_open(uintptr_t start, size_t len)
{
	/* text already aliased is written through its alias, whatever writer */
	if (alias_find(start))
		return alias_open(start, len);
	return open_with(writer, start, len);
}

void sc_linux_text_close(uintptr_t start, size_t len)
{
	struct alias *a = alias_find(start);
	struct shadow *s;

	if (a) {
		alias_close(a);
		return;
	}
	s = shadow_find(start);
	if (s && s->lo == start) {
		procmem_close(s);
		return;
	}
	sc_linux_mprotect_close(start, len);
}

void *sc_linux_text_alias(uintptr_t addr)
{
	struct alias *a = alias_find(addr);
	struct shadow *s;

	if (a && a->refs && a->rw)
		return a->rw + (addr - a->lo);
	if (nshadows && (s = shadow_find(addr)))
		return arena + s->off + (addr - s->lo);
	return (void *)addr;
}

void sc_linux_writer_flush(void)
{
	size_t i;

	for (i = 0; i < nshadows; i++)
		procmem_flush(&shadows[i]);
}

/*
 * The text of a removed object may be unmapped and something else mapped
 * there: forget its aliases (their pages go with the mapping).
 */
void sc_linux_text_forget(uintptr_t lo, uintptr_t hi)
{
	size_t i = 0;

	while (i < naliases) {
		struct alias *a = &aliases[i];

		if (a->lo < hi && lo < a->hi && !a->refs) {
			if (!a->span)
				view_drop(a);
			memmove(a, a + 1, (--naliases - i) * sizeof(*a));
			continue;
		}
		i++;
	}
	alias_last = 0;
}

/*
 * fork: never inside an update (the lock is held across fork), and after
 * it both processes copy shared alias pages before their next write.  The
 * views are PROT_NONE outside an update and not inherited.
 */
static void atfork_prepare(void)
{
	sc_linux_lock();
	fork_gen++;
}

static void atfork_parent(void)
{
	sc_linux_unlock();
}

static void atfork_child(void)
{
	size_t i;

	for (i = 0; i < naliases; i++)
		if (!aliases[i].span)
			aliases[i].rw = NULL;	/* MADV_DONTFORK: not here */
	vres = NULL;			/* nor is the reservation */
	views_rw = 0;
	if (mem_fd >= 0)
		close(mem_fd);	/* it reads and writes the parent */
	mem_fd = -1;
	sc_linux_unlock();
}

static int writer_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(writer_names) / sizeof(writer_names[0]); i++)
		if (!strcmp(name, writer_names[i]))
			return (int)i;
	return -1;
}

void sc_linux_writer_init(size_t page_size)
{
	const char *env = getenv("STATICCALL_WRITER");

	ps = page_size;
	if (env && *env) {
		int w = writer_by_name(env);

		if (w < 0)
			staticcall_log("staticcall: STATICCALL_WRITER=%s is not alias, procmem, procmem-page, mprotect or mprotect-span: using alias",
				       env);
		else
			writer = (enum writer)w;
	}
	pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
}

int staticcall_linux_writer_set(const char *name)
{
	int w = writer_by_name(name);

	if (w < 0)
		return -EINVAL;
	staticcall_linux_init();
	sc_linux_lock();
	writer = (enum writer)w;
	sc_linux_unlock();
	return 0;
}

const char *staticcall_linux_writer(void)
{
	staticcall_linux_init();
	return writer_names[writer];
}
