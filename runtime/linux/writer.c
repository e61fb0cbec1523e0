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
};
static struct alias *aliases;
static size_t naliases, alias_cap, alias_last;
static unsigned long fork_gen;

static struct alias *alias_find(uintptr_t a)
{
	size_t i;

	if (alias_last < naliases && a >= aliases[alias_last].lo &&
	    a < aliases[alias_last].hi)
		return &aliases[alias_last];
	for (i = 0; i < naliases; i++)
		if (a >= aliases[i].lo && a < aliases[i].hi) {
			alias_last = i;
			return &aliases[i];
		}
	return NULL;
}

/*
 * The mapping holding @addr in /proc/self/maps: 0 and [*lo, *hi), its
 * permissions and (basename of) its path; -1 when there is none.
 */
static int vma_of(uintptr_t addr, uintptr_t *lo, uintptr_t *hi,
		  char perms[5], char *name, size_t name_len)
{
	static char buf[8192];
	size_t have = 0;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC), found = -1;

	if (fd < 0)
		return -1;
	for (;;) {
		ssize_t r = read(fd, buf + have, sizeof(buf) - 1 - have);
		char *line = buf, *nl;

		if (r <= 0)
			break;
		have += (size_t)r;
		buf[have] = 0;
		while ((nl = strchr(line, '\n'))) {
			unsigned long l, h;
			char p[5], path[256];
			int n = 0;

			*nl = 0;
			path[0] = 0;
			if (sscanf(line, "%lx-%lx %4s %*s %*s %*s %n", &l, &h, p, &n) >= 3 &&
			    addr >= l && addr < h) {
				const char *base = n ? line + n : "";

				snprintf(path, sizeof(path), "%s", base);
				base = strrchr(path, '/');
				*lo = l;
				*hi = h;
				memcpy(perms, p, 5);
				/* an anonymous mapping (a veneer area) has no path */
				snprintf(name, name_len, "%s",
					 base ? base + 1 : *path ? path : "anon");
				found = 0;
				goto out;
			}
			line = nl + 1;
		}
		have -= (size_t)(line - buf);
		memmove(buf, line, have);
		if (have == sizeof(buf) - 1)
			have = 0;	/* a line longer than the buffer */
	}
out:
	close(fd);
	return found;
}

/*
 * Put a fresh memfd copy of [lo, hi) under the executing range, the same
 * bytes at the same address, and leave its read-write view in *@rw.  The
 * replacement is one mmap(MAP_FIXED) under the kernel's mmap lock: another
 * thread executing the range either runs the old page or faults, waits
 * for the lock and runs the new one, with the same bytes.
 */
static int alias_map(uintptr_t lo, uintptr_t hi, const char *name,
		     unsigned char **rw)
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
	v = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
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
		munmap(v, size);
		return err;
	}
	/* a forked child gets no view (it makes its own copy); a core dump
	   has these pages once, at the text's address */
	madvise(v, size, MADV_DONTFORK);
	madvise(v, size, MADV_DONTDUMP);
	*rw = v;
	return 0;
}

static int alias_add(uintptr_t lo, uintptr_t hi, unsigned char *rw)
{
	if (naliases == alias_cap) {
		size_t cap = alias_cap ? 2 * alias_cap : 16;
		struct alias *n = realloc(aliases, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		aliases = n;
		alias_cap = cap;
	}
	aliases[naliases].lo = lo;
	aliases[naliases].hi = hi;
	aliases[naliases].rw = rw;
	aliases[naliases].refs = 1;
	aliases[naliases].gen = fork_gen;
	aliases[naliases].pid = getpid();
	aliases[naliases].span = 0;
	alias_last = naliases++;
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
	uintptr_t lo, hi;
	unsigned char *rw;
	char perms[5], name[40];
	int err;

	if (a) {
		if (start + len > a->hi)
			return -EINVAL;	/* cannot happen: one mapping each */
		if (a->span) {
			if (!a->refs &&
			    (err = sc_linux_mprotect_open(a->lo, a->hi - a->lo)))
				return err;
		} else if (!a->refs &&
			   (a->gen != fork_gen || a->pid != getpid())) {
			/*
			 * Shared with a forked process: copy before writing.
			 * In a child the view was never inherited (even after
			 * a fork that skipped pthread_atfork, hence the pid).
			 */
			if (a->pid != getpid())
				a->rw = NULL;
			err = alias_map(a->lo, a->hi, "forked", &rw);
			if (err)
				return err;
			if (a->rw)
				munmap(a->rw, a->hi - a->lo);
			a->rw = rw;
			a->gen = fork_gen;
			a->pid = getpid();
		} else if (!a->refs &&
			   mprotect(a->rw, a->hi - a->lo, PROT_READ | PROT_WRITE)) {
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
	if (vma_of(start, &lo, &hi, perms, name, sizeof(name)) ||
	    start + len > hi || strncmp(perms, "r-x", 3) ||
	    (perms[3] != 'p' && strncmp(name, "memfd:staticcall:", 17))) {
		if (!alias_window_logged) {
			alias_window_logged = 1;
			staticcall_log("staticcall: text %p+%lx is not inside one private r-x mapping: written through /proc/self/mem",
				       (void *)start, (unsigned long)len);
		}
		return 1;
	}
	err = alias_map(lo, hi, name, &rw);
	if (err)
		return err;
	err = alias_add(lo, hi, rw);
	if (err)
		munmap(rw, hi - lo);
	return err;
}

static void alias_close(struct alias *a)
{
	if (--a->refs)
		return;
	if (a->span)
		sc_linux_mprotect_close(a->lo, a->hi - a->lo);
	else if (mprotect(a->rw, a->hi - a->lo, PROT_NONE))
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
	uintptr_t lo, hi;
	char perms[5], name[40];
	int err;

	if (vma_of(start, &lo, &hi, perms, name, sizeof(name)) ||
	    start + len > hi)
		return sc_linux_mprotect_open(start, len);
	err = sc_linux_mprotect_open(lo, hi - lo);
	if (!err && (err = alias_add(lo, hi, NULL)))
		sc_linux_mprotect_close(lo, hi - lo);
	if (!err)
		aliases[naliases - 1].span = 1;
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
			if (a->rw && !a->span)
				munmap(a->rw, a->hi - a->lo);
			*a = aliases[--naliases];
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
