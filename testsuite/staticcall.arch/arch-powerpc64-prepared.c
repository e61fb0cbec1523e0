/* powerpc64le: registration binds an object's sites at once only when one
   needs preparing (a nop after its bl).  The plugin counts the sites it
   prepared at compile time (a byte of staticcall_prepared per site whose
   restore it emitted); an object whose count covers every record is
   registered without reading its text.  Observable: the text of such an
   object is PROT_NONE while it registers.  Controls: the same object
   without the count (an older table) faults there, so the check can fail;
   an object with nop sites is still prepared at registration (the word
   after each bl reads ld r2,24(r1) before any key is touched); both then
   follow an update and a reset.  And the program's own count is its
   number of TOC_SAVED records (the alloca site has none).  */
/* { dg-do run { target powerpc64le-*-* } } */

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <staticcall.h>
#include <staticcall/abi.h>

int f(int) __attribute__((static_call));
__attribute__((noipa)) int f(int x) { return x + 100; }
__attribute__((noipa)) int f2(int x) { return x + 2; }
__attribute__((noipa)) int plain(int x) { return f(x) + 1; }
void use(char *);
__attribute__((noipa)) void use(char *p) { p[0] = 1; }
__attribute__((noipa)) int vla(int n)
{
	char buf[n];

	use(buf);
	return f(buf[0]);
}

extern struct staticcall_site_rec __start_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));
extern struct staticcall_site_rec __stop_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));
extern char __start_staticcall_prepared[]
	__attribute__((weak, visibility("hidden")));
extern char __stop_staticcall_prepared[]
	__attribute__((weak, visibility("hidden")));

#define NSITES		4
#define FN_WORDS	10	/* a site's function, the bl at word 4 */
#define PPC_LD_R2	0xe8410018u
#define PPC_NOP		0x60000000u

/* One synthetic object: its code page, key record, table and index. */
struct synth {
	struct staticcall_key_rec key;
	char name[16];
	struct staticcall_site_rec rec[NSITES];
	struct staticcall_site_rec idx[NSITES];
	struct staticcall_range ranges[2];
	size_t prepared;
	struct staticcall_object obj;
	uint32_t *code;
} __attribute__((aligned(8)));

static struct synth sa, sb, sc;
static uint32_t *page;		/* 4 pages: targets, then sa, sb, sc */
static long ps;

static uintptr_t toc(void)
{
	uintptr_t r;

	__asm__("mr %0,2" : "=r"(r));
	return r;
}

/* x + 1 and x + 2, without a TOC (no global-entry prologue) */
static uintptr_t target(int i)
{
	return (uintptr_t)(page + 4 * i);
}

static int call(const struct synth *s, int i, int x)
{
	int (*fn)(int) = (int (*)(int))(void *)(s->code + FN_WORDS * i);

	return fn(x);
}

/* @s in code page @pg: NSITES functions calling target 0, each with the
   restore after its bl (@restored) or a nop, flagged TOC_SAVED or not. */
static void make(struct synth *s, int pg, int restored, int nprepared)
{
	uint32_t *c = page + pg * ps / 4;
	int i;

	memset(s, 0, sizeof(*s));
	s->code = c;
	for (i = 0; i < NSITES; i++) {
		uint32_t *w = c + FN_WORDS * i;
		intptr_t d = (intptr_t)target(0) - (intptr_t)&w[4];

		w[0] = 0x7c0802a6;	/* mflr 0 */
		w[1] = 0xf8010010;	/* std 0,16(1) */
		w[2] = 0xf821ffe1;	/* stdu 1,-32(1) */
		w[3] = 0xf8410018;	/* std 2,24(1): the TOC save */
		w[4] = 0x48000001u | ((uint32_t)d & 0x03fffffc);	/* bl */
		w[5] = restored ? PPC_LD_R2 : PPC_NOP;
		w[6] = 0x38210020;	/* addi 1,1,32 */
		w[7] = 0xe8010010;	/* ld 0,16(1) */
		w[8] = 0x7c0803a6;	/* mtlr 0 */
		w[9] = 0x4e800020;	/* blr */
		s->rec[i].site = (int32_t)((intptr_t)&w[4] - (intptr_t)&s->rec[i]);
		s->rec[i].key = (int32_t)((intptr_t)&s->key - (intptr_t)&s->rec[i]) |
			(restored ? STATICCALL_SITE_TOC_SAVED : 0);
	}
	__builtin___clear_cache((char *)c, (char *)(c + FN_WORDS * NSITES));
	s->key.magic = STATICCALL_KEY_MAGIC;
	s->key.version = STATICCALL_ABI_VERSION;
	strcpy(s->name, "synth");
	s->key.name = (int32_t)((intptr_t)s->name - (intptr_t)&s->key.name);
	s->key.ident = s->key.deflt = target(0);
	s->ranges[0].lo = (uintptr_t)c;
	s->ranges[0].hi = (uintptr_t)c + ps;
	s->ranges[0].prot = STATICCALL_RANGE_R | STATICCALL_RANGE_X;
	s->ranges[1].lo = (uintptr_t)s;
	s->ranges[1].hi = (uintptr_t)(s + 1);
	s->ranges[1].prot = STATICCALL_RANGE_R | STATICCALL_RANGE_W;
	s->prepared = (size_t)nprepared;
}

static int add(struct synth *s)
{
	struct staticcall_tables t = {
		s->rec, s->rec + NSITES, s->idx, s->idx + NSITES,
		s->ranges, 2, toc(), s->prepared,
	};

	return staticcall_object_add_tables(&s->obj, &t);
}

static int text(const struct synth *s, int prot)
{
	return mprotect(s->code, (size_t)ps, prot);
}

int main(void)
{
	const struct staticcall_site_rec *r;
	long own = 0, marked = __stop_staticcall_prepared - __start_staticcall_prepared;
	int i, bad = 0, status;
	pid_t pid;

	/* the program's own count: its TOC_SAVED records (not the alloca
	   one) and its definition records (nothing to prepare either) */
	for (r = __start_staticcall_sites; r < __stop_staticcall_sites; r++)
		own += (staticcall_site_flags(r) & STATICCALL_SITE_TOC_SAVED) != 0 ||
		       staticcall_site_is_definition(r);
	if (own < 1 || marked != own ||
	    marked >= __stop_staticcall_sites - __start_staticcall_sites) {
		printf("staticcall_prepared: %ld bytes for %ld TOC_SAVED records of %ld\n",
		       marked, own, (long)(__stop_staticcall_sites - __start_staticcall_sites));
		bad = 1;
	}

	ps = sysconf(_SC_PAGESIZE);
	page = mmap(NULL, 4 * (size_t)ps, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return 1;
	page[0] = 0x38630001;	/* addi 3,3,1 */
	page[1] = 0x4e800020;	/* blr */
	page[4] = 0x38630002;	/* addi 3,3,2 */
	page[5] = 0x4e800020;
	make(&sa, 1, 1, NSITES);
	make(&sb, 2, 1, 0);
	make(&sc, 3, 0, 0);
	if (mprotect(page, 4 * (size_t)ps, PROT_READ | PROT_EXEC))
		return 1;

	/* Every site prepared, counted: registered with its text unreadable.
	   (No key is touched yet: registration only records the table.) */
	if (text(&sa, PROT_NONE) || add(&sa) || text(&sa, PROT_READ | PROT_EXEC)) {
		printf("the prepared object did not register\n");
		bad = 1;
	}
	/* The same without the count (an older table): its text is read. */
	pid = fork();
	if (pid == 0) {
		text(&sb, PROT_NONE);
		add(&sb);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid ||
	    !WIFSIGNALED(status) || WTERMSIG(status) != SIGSEGV) {
		printf("control: registering without the count did not read the text (status %#x)\n",
		       status);
		bad = 1;
	}
	/* Nop sites: prepared and bound at registration, as before. */
	if (add(&sc)) {
		printf("the object with nop sites did not register\n");
		bad = 1;
	}
	for (i = 0; i < NSITES; i++)
		if (sc.code[FN_WORDS * i + 5] != PPC_LD_R2 ||
		    sa.code[FN_WORDS * i + 5] != PPC_LD_R2) {
			printf("site %d: word after the bl %#x, %#x\n", i,
			       sc.code[FN_WORDS * i + 5], sa.code[FN_WORDS * i + 5]);
			bad = 1;
		}

	/* the first touch: both follow the key, and the program's sites too */
	for (i = 0; i < NSITES; i++)
		if (call(&sa, i, 10) != 11 || call(&sc, i, 10) != 11)
			bad = 1;
	if (staticcall_update_key((void *)target(0), (void *)target(1), 0) ||
	    staticcall_status()) {
		printf("update refused\n");
		return 1;
	}
	for (i = 0; i < NSITES; i++)
		if (call(&sa, i, 10) != 12 || call(&sc, i, 10) != 12) {
			printf("site %d after the update: %d %d\n", i,
			       call(&sa, i, 10), call(&sc, i, 10));
			bad = 1;
		}
	if (staticcall_reset_key((void *)target(0), 0))
		bad = 1;
	for (i = 0; i < NSITES; i++)
		if (call(&sa, i, 10) != 11 || call(&sc, i, 10) != 11)
			bad = 1;
	if (plain(1) != 102 || vla(4) != 101 ||
	    staticcall_update(f, f2) || plain(1) != 4 || vla(4) != 3)
		bad = 1;
	if (!bad)
		printf("ok\n");
	return bad;
}
