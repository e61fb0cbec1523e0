/* Every field of every record made bad, one at a time, in a copy of the
   program's own table registered with the program's segments: each bad
   table is refused with an error code and a log line when it is indexed,
   nothing is written, the process lives; the good copy works.  A site
   whose bytes are not what its record says (what staticcall-tool verify
   checks) is its key's problem, not the table's: the object is accepted,
   an update of that key is -EINVAL naming the site and writes nothing
   (the program's own site of the key included), the object is removed
   cleanly.  A refused object's site that no registered record writes is
   left behind: while the object is there, an update of the site's key
   (named through a key record that is itself readable) is -EINVAL and
   writes nothing, never 0; once it is removed the key updates as before.
   A refused record of a site the program's own record writes leaves
   nothing behind: the key updates.  The same for a key retargeted before
   an object whose site cannot follow it is registered.  */
/* { dg-do run } */

#define _GNU_SOURCE
#include <errno.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <staticcall.h>
#include <staticcall/abi.h>

int victim(int x) __attribute__((static_call));
__attribute__((noipa)) int victim(int x) { return x + 1; }
__attribute__((noipa)) int victim_b(int x) { return x + 2; }
__attribute__((noipa)) int use(int x) { return victim(x) * 3; }
__attribute__((noipa)) int plain(int x) { return victim_b(x) * 5; }

/*
 * A real call of the default target that is not a site, in a function
 * that works (plain_call(x) == victim(x)): on x86-64 at offset 5 of its
 * 8-byte word, where the plugin never puts a site; on powerpc64 a local
 * bl without the nop or TOC restore every site has.  On aarch64 a plain
 * bl is a site's very form: nothing tells them apart.
 */
int plain_call(int x);
extern const char plain_call_site[];
#if defined(__x86_64__)
__asm__(".text\n"
	".globl plain_call\n"
	".type plain_call, @function\n"
	".p2align 4\n"
	"plain_call:\n"
	"	sub $8, %rsp\n"
	"	.p2align 3\n"
	"	.byte 0x90, 0x90, 0x90, 0x90, 0x90\n"
	"plain_call_site:\n"
	"	call victim@PLT\n"
	"	add $8, %rsp\n"
	"	ret\n"
	".size plain_call, . - plain_call\n");
#define HAVE_PLAIN_CALL 1
#elif defined(__powerpc64__)
__asm__(".text\n"
	".globl plain_call\n"
	".type plain_call, @function\n"
	".p2align 4\n"
	"plain_call:\n"
	"	mflr 0\n"
	"	std 0,16(1)\n"
	"	stdu 1,-32(1)\n"
	"plain_call_site:\n"
	"	bl victim\n"
	"	addi 1,1,32\n"
	"	ld 0,16(1)\n"
	"	mtlr 0\n"
	"	blr\n"
	".size plain_call, . - plain_call\n");
#define HAVE_PLAIN_CALL 1
#endif

extern struct staticcall_site_rec __start_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));
extern struct staticcall_site_rec __stop_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));

static struct staticcall_range ranges[16];
static unsigned int nranges;
static struct staticcall_site_rec tab[2] __attribute__((aligned(8)));
static struct staticcall_site_rec idx[2] __attribute__((aligned(8)));
static struct staticcall_key_rec key __attribute__((aligned(8)));
static struct staticcall_key_rec key2 __attribute__((aligned(8)));
static struct staticcall_object obj;
/* a pointer key's variable outside the copy's own ranges (own_ranges) */
static int (*ptr_var)(int) __attribute__((aligned(8))) = victim;
static struct staticcall_range own[17];
static unsigned int nown;
static char logged[512];
static int nlogs;

static void catch_log(const char *msg)
{
	strncpy(logged, msg, sizeof(logged) - 1);
	nlogs++;
}

static int phdrs(struct dl_phdr_info *info, size_t size, void *data)
{
	int i;

	(void)size;
	(void)data;
	for (i = 0; i < info->dlpi_phnum && nranges < 16; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type != PT_LOAD)
			continue;
		ranges[nranges].lo = info->dlpi_addr + ph->p_vaddr;
		ranges[nranges].hi = ranges[nranges].lo + ph->p_memsz;
		ranges[nranges].prot = ((ph->p_flags & PF_R) ? STATICCALL_RANGE_R : 0) |
			((ph->p_flags & PF_W) ? STATICCALL_RANGE_W : 0) |
			((ph->p_flags & PF_X) ? STATICCALL_RANGE_X : 0);
		nranges++;
	}
	return 1;	/* the first object is the program */
}

/* The record at @r pointing at @site and @k with @flags. */
static void set_rec(struct staticcall_site_rec *r, uintptr_t site,
		    const void *k, unsigned int flags)
{
	r->site = (int32_t)((intptr_t)site - (intptr_t)r);
	r->key = (int32_t)((intptr_t)k - (intptr_t)r - 4) + 4 + (int32_t)flags;
}

/* A good copy: one record of the victim site in use(), a key record of
   its own with the real name. */
static uintptr_t site_of_use(void)
{
	struct staticcall_site_rec *r;
	uintptr_t best = 0, f = (uintptr_t)use;

	for (r = __start_staticcall_sites; r < __stop_staticcall_sites; r++) {
		uintptr_t a = staticcall_site_addr(r);

		if (a >= f && (!best || a < best))
			best = a;
	}
	return best;
}

static uintptr_t good_site;
static unsigned int good_flags;

static void make_good(void)
{
	const struct staticcall_key_rec *real = staticcall_site_key(__start_staticcall_sites);
	const char *name = staticcall_key_name(real);

	memcpy(&key, real, sizeof(key));
	memset(key.runtime, 0, sizeof(key.runtime));
	key.name = (int32_t)((intptr_t)name - (intptr_t)&key.name);
	set_rec(&tab[0], good_site, &key, good_flags);
	tab[1] = tab[0];
	memset(idx, 0, sizeof(idx));
}

/* powerpc64: the program's TOC, as staticcall-object.o passes it, so the
   copy binds its site as the program's own record does */
static uintptr_t toc(void)
{
	uintptr_t r = 0;
#ifdef __powerpc64__
	__asm__("mr %0,2" : "=r"(r));
#endif
	return r;
}

static int add(unsigned int n)
{
	struct staticcall_tables t = { tab, tab + n, idx, idx + 2, ranges, nranges, toc(), 0 };

	return staticcall_object_add_tables(&obj, &t);
}

/*
 * The copy's ranges without the program's writable segments, but for the
 * key record: the program's data (ptr_var) is then another object's
 * (the program's own registration) memory only.
 */
static void own_ranges(void)
{
	unsigned int i;

	for (i = nown = 0; i < nranges; i++)
		if (!(ranges[i].prot & STATICCALL_RANGE_W))
			own[nown++] = ranges[i];
	own[nown].lo = (uintptr_t)&key;
	own[nown].hi = (uintptr_t)(&key + 1);
	own[nown++].prot = STATICCALL_RANGE_R | STATICCALL_RANGE_W;
}

/* A pointer key of variable @var, default victim, in the good copy. */
static void make_pointer_key(const void *var)
{
	make_good();
	key.flags |= STATICCALL_KEY_FNPTR;
	key.ident = (uintptr_t)var;
	key.deflt = (uintptr_t)victim;
}

/* Case @what: registered and accepted, but the key's update is -EINVAL
   with the site in the log and nothing written; then removed.  */
static int key_refused(const char *what, unsigned int n)
{
	unsigned char before[8];
	int err, upd = 0;

	memcpy(before, (void *)good_site, 8);
	nlogs = 0;
	err = add(n);
	if (!err)
		upd = staticcall_update(victim, victim_b);
	if (err || staticcall_object_status(&obj) || upd != -EINVAL || !nlogs ||
	    !strstr(logged, "site 0x") || memcmp(before, (void *)good_site, 8) ||
	    use(0) != 3 || staticcall_object_remove(&obj)) {
		printf("%s: add %d status %d update %d, log '%s'\n", what, err,
		       staticcall_object_status(&obj), upd, logged);
		staticcall_reset(victim);
		staticcall_object_remove(&obj);
		return 1;
	}
	return 0;
}

/*
 * Case @what: registered (indexed at once: keys were touched) and
 * refused.  @names: the refused table names victim, through a readable
 * key record, at a site no registered record writes: left behind, so
 * victim's update is -EINVAL (nothing written) until the object is
 * removed; otherwise victim updates as before.
 */
static int refused(const char *what, unsigned int n, int names)
{
	unsigned char before[8];
	int err, upd, later = 0;

	memcpy(before, (void *)good_site, 8);
	nlogs = 0;
	err = add(n);
	if (err >= 0 || staticcall_object_status(&obj) != err || !nlogs ||
	    !strstr(logged, "refused") || memcmp(before, (void *)good_site, 8) ||
	    use(0) != 3) {
		printf("%s: err %d status %d, log '%s'\n", what, err,
		       staticcall_object_status(&obj), logged);
		staticcall_object_remove(&obj);	/* accepted: the next case starts clean */
		return 1;
	}
	upd = staticcall_update(victim, victim_b);
	if (names ? upd != -EINVAL || !strstr(logged, "left behind") ||
		    memcmp(before, (void *)good_site, 8) || use(0) != 3
		  : upd || use(0) != 6 || staticcall_reset(victim) || use(0) != 3) {
		printf("%s: update %d with the refused object there, use(0) %d, log '%s'\n",
		       what, upd, use(0), logged);
		staticcall_reset(victim);
		staticcall_object_remove(&obj);
		return 1;
	}
	if (staticcall_object_remove(&obj) != -ENOENT) {
		printf("%s: removed as if registered\n", what);
		return 1;
	}
	/* removed: nothing is left behind */
	if (names && ((later = staticcall_update(victim, victim_b)) || use(0) != 6 ||
		      staticcall_reset(victim) || use(0) != 3)) {
		printf("%s: update %d once the refused object is removed, log '%s'\n",
		       what, later, logged);
		staticcall_reset(victim);
		return 1;
	}
	return 0;
}

/*
 * victim retargeted first; then a copy whose site (a record at a
 * function entry, no other record's site) cannot follow is registered:
 * refused, its site left behind, so an update of victim, even to the
 * target it has, is -EINVAL until the copy is removed.  Its record at
 * the program's own site instead (the TAIL flag on a call) is refused
 * too, but leaves nothing behind.
 */
static int left_behind_at_registration(void)
{
	int err, same, other;

	if (staticcall_update(victim, victim_b) || use(0) != 6)
		return 1;
	make_good();
	set_rec(&tab[0], good_site, &key, good_flags ^ STATICCALL_SITE_TAIL);
	err = add(1);
	same = staticcall_update(victim, victim_b);
	staticcall_object_remove(&obj);
	if (err >= 0 || same || use(0) != 6) {
		printf("refused at the program's own site: add %d, update %d, use(0) %d, log '%s'\n",
		       err, same, use(0), logged);
		staticcall_reset(victim);
		return 1;
	}
	make_good();
	set_rec(&tab[0], (uintptr_t)plain, &key, good_flags);
	nlogs = 0;
	err = add(1);
	same = staticcall_update(victim, victim_b);
	other = staticcall_update(victim, victim);
	if (err >= 0 || staticcall_object_status(&obj) != err ||
	    same != -EINVAL || other != -EINVAL || use(0) != 6 ||
	    !strstr(logged, "left behind")) {
		printf("left behind at registration: add %d, update to the same target %d, to another %d, use(0) %d, log '%s'\n",
		       err, same, other, use(0), logged);
		staticcall_object_remove(&obj);
		staticcall_reset(victim);
		return 1;
	}
	staticcall_object_remove(&obj);
	if (staticcall_reset(victim) || use(0) != 3) {
		printf("left behind at registration: reset once removed: %s\n", logged);
		return 1;
	}
	return 0;
}

int main(void)
{
	int bad = 0;

	good_site = site_of_use();
	if (!good_site)
		return 1;
	good_flags = staticcall_site_flags(__start_staticcall_sites);
	dl_iterate_phdr(phdrs, NULL);
	staticcall_set_log(catch_log);
	/* the first touch: every object is indexed from now on */
	if (staticcall_query(victim) != victim || use(0) != 3)
		return 2;

	make_good();
	tab[0].site += 0x40000000;			/* site outside the image */
	bad |= refused("site offset outside", 1, 0);
	make_good();
	/* site in data (not the key record itself: that is a definition
	   record, abi.h) */
	set_rec(&tab[0], (uintptr_t)&key + 8, &key, 0);
	bad |= refused("site offset in data", 1, 0);
	make_good();
	set_rec(&tab[0], good_site, (void *)((uintptr_t)use & ~(uintptr_t)7), good_flags);
	bad |= refused("key offset into text", 1, 0);	/* key record not writable */
	make_good();
	tab[0].key += 0x40000000;
	bad |= refused("key offset outside", 1, 0);
	make_good();
	key.magic ^= 1;
	bad |= refused("key magic", 1, 0);
	make_good();
	key.version++;
	bad |= refused("key version", 1, 0);
	make_good();
	key.flags |= 0x80;
	bad |= refused("key flags", 1, 0);
	make_good();
	key.name += 0x40000000;
	bad |= refused("key name offset", 1, 0);
	/* the same at a site of its own: left behind */
	make_good();
	set_rec(&tab[0], (uintptr_t)plain, &key, good_flags);
	key.name += 0x40000000;
	bad |= refused("key name offset, a site no other record writes", 1, 1);
	make_good();
	key.ident = 0;
	bad |= refused("key ident null", 1, 0);
	make_good();
	key.deflt = (uintptr_t)victim_b;
	bad |= refused("function key default not its ident", 1, 0);
	make_good();
	key.runtime[2] = 1;
	bad |= refused("runtime words not zero", 1, 0);
	make_good();
	bad |= refused("site listed twice", 2, 0);
	/* one site under two keys: each key's updates would write it */
	make_good();
	memcpy(&key2, &key, sizeof(key2));
	key2.ident = key2.deflt = (uintptr_t)victim_b;
	set_rec(&tab[1], good_site, &key2, good_flags);
	bad |= refused("site listed under two keys", 2, 0);
	/* a pointer key's variable is read at once and written at updates */
	{
		void **heap = malloc(sizeof(*heap));

		*heap = (void *)victim;
		make_pointer_key(heap);
		bad |= refused("pointer key variable in no object", 1, 0);
		free(heap);
	}
	make_pointer_key((void *)((uintptr_t)use & ~(uintptr_t)7));
	bad |= refused("pointer key variable in text", 1, 0);
	make_pointer_key(&idx[1]);
	bad |= refused("pointer key variable in the index", 1, 0);
	make_pointer_key((void *)((uintptr_t)&ptr_var + 4));
	bad |= refused("pointer key variable not aligned", 1, 0);
	make_good();
	{
		struct staticcall_tables t = { tab, tab + 2, idx, idx + 1, ranges, nranges, 0, 0 };

		nlogs = 0;
		if (staticcall_object_add_tables(&obj, &t) != -ENOSPC || !nlogs) {
			printf("index too small accepted\n");
			bad = 1;
		}
	}

	/* What the site's bytes show (the checks of staticcall-tool
	   verify): the key's updates refused, nothing written. */
	make_good();
	set_rec(&tab[0], good_site, &key, good_flags ^ STATICCALL_SITE_TAIL);
	bad |= key_refused("TAIL flag on a call site", 1);
	make_good();
	set_rec(&tab[0], (uintptr_t)plain, &key, good_flags);	/* not a call */
	bad |= key_refused("record at a function entry", 1);
	if (plain(0) != 10)
		bad = 1;
#ifdef HAVE_PLAIN_CALL
	make_good();
	set_rec(&tab[0], (uintptr_t)plain_call_site, &key, good_flags);
	bad |= key_refused("record at a plain call of the default", 1);
	if (plain_call(4) != 5) {
		printf("plain_call(4) = %d\n", plain_call(4));
		bad = 1;
	}
#endif

	bad |= left_behind_at_registration();

	/* the good copy (a second record of the real site) works */
	make_good();
	if (add(1) || staticcall_object_status(&obj) ||
	    staticcall_update(victim, victim_b) || use(0) != 6 ||
	    staticcall_reset(victim) || use(0) != 3 ||
	    staticcall_object_remove(&obj)) {
		printf("the good copy: %s\n", logged);
		bad = 1;
	}
	/* a pointer key whose variable is another registered object's
	   (the program's): accepted, its site follows the variable's key */
	own_ranges();
	make_pointer_key(&ptr_var);
	{
		struct staticcall_tables t = { tab, tab + 1, idx, idx + 2, own, nown, toc(), 0 };
		int err = staticcall_object_add_tables(&obj, &t);

		if (err || staticcall_object_status(&obj) ||
		    staticcall_update_key(&ptr_var, victim_b, STATICCALL_KEY_FNPTR) ||
		    use(0) != 6 || ptr_var != victim_b ||
		    staticcall_reset_key(&ptr_var, STATICCALL_KEY_FNPTR) ||
		    use(0) != 3 || ptr_var != victim ||
		    staticcall_object_remove(&obj)) {
			printf("pointer key of another object's variable: err %d, %s\n",
			       err, logged);
			bad = 1;
		}
	}
	if (staticcall_status() >= 0) {
		printf("staticcall_status() says nothing was refused\n");
		bad = 1;
	}
	return bad ? 3 : 0;
}
