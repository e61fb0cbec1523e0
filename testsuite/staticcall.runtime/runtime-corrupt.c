/* A site whose bytes were changed behind the runtime's back, after its
   object was indexed, is refused: the update returns -EINVAL, logs the
   site's address and bytes, and writes no site of that key
   (all-or-nothing); once repaired, updates work again.  (Bytes bad when
   the object is indexed refuse its table: runtime-corrupt-fields.c.)  */
/* { dg-do run } */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <staticcall.h>
#include <staticcall/abi.h>

int victim(int x) __attribute__((static_call));
__attribute__((noipa)) int victim(int x) { return x + 1; }
__attribute__((noipa)) int victim_b(int x) { return x + 2; }

__attribute__((noipa)) int use_good(int x) { return victim(x) * 3; }
__attribute__((noipa)) int use_bad(int x) { return victim(x) * 5; }

extern struct staticcall_site_rec __start_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));
extern struct staticcall_site_rec __stop_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));

static char logged[512];

static void catch_log(const char *msg)
{
	strncpy(logged, msg, sizeof(logged) - 1);
}

/* The site of victim inside use_bad: the victim site nearest above it. */
static unsigned char *find_bad_site(void)
{
	struct staticcall_site_rec *r;
	uintptr_t best = 0, f = (uintptr_t)use_bad;

	for (r = __start_staticcall_sites; r < __stop_staticcall_sites; r++) {
		uintptr_t a = staticcall_site_addr(r);

		if (staticcall_site_is_definition(r) ||
		    strcmp(staticcall_key_name(staticcall_site_key(r)), "victim"))
			continue;
		if (a >= f && (!best || a < best))
			best = a;
	}
	return (unsigned char *)best;
}

static int poke(unsigned char *p, const unsigned char *b, size_t n)
{
	long ps = sysconf(_SC_PAGESIZE);
	uintptr_t pg = (uintptr_t)p & ~(uintptr_t)(ps - 1);

	if (mprotect((void *)pg, 2 * ps, PROT_READ | PROT_WRITE | PROT_EXEC))
		return -1;
	memcpy(p, b, n);
	__builtin___clear_cache((char *)p, (char *)p + n);
	return mprotect((void *)pg, 2 * ps, PROT_READ | PROT_EXEC);
}

int main(void)
{
	static const unsigned char junk[4] = { 0, 0, 0, 0 };
	unsigned char saved[4], *site = find_bad_site();
	char want[64];
	int err;

	if (!site)
		return 1;
	/* the first touch: the program's object is indexed now */
	if (use_good(0) != 3 || use_bad(0) != 5 ||
	    staticcall_query(victim) != victim)
		return 2;
	memcpy(saved, site, 4);
	if (poke(site, junk, 4))
		return 3;
	staticcall_set_log(catch_log);
	err = staticcall_update(victim, victim_b);
	if (err != -EINVAL) {
		printf("update of a corrupted key: %d\n", err);
		return 4;
	}
	snprintf(want, sizeof(want), "%p", (void *)site);
	if (!strstr(logged, want) || !strstr(logged, "00 00 00 00")) {
		printf("log: '%s', wanted %s\n", logged, want);
		return 5;
	}
	/* nothing written: the good site still calls the default */
	if (use_good(0) != 3 || staticcall_query(victim) != victim)
		return 6;
	if (memcmp(site, junk, 4))
		return 7;
	/* repaired: the update goes through everywhere */
	if (poke(site, saved, 4))
		return 8;
	if (staticcall_update(victim, victim_b) != 0)
		return 9;
	if (use_good(0) != 6 || use_bad(0) != 10)
		return 10;
	return 0;
}
