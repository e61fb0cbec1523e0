/*
 * demo.c - the program scripts/demo builds with the staticcall plugin for
 * each target and runs (natively or under qemu-user).
 *
 * It has one key, greet(), and two call sites of it.  It prints the site
 * table the plugin recorded in the staticcall_sites section (address, key,
 * flags, the bytes of the call instruction), then calls through the sites.
 * With the runtime linked (DEMO_RUNTIME, set by scripts/demo when
 * build/<triplet>/ has it) it also retargets the key and calls again.
 * Each step is one function called from main(): add a step there.
 */
#include <stdio.h>
#include <string.h>
#include <staticcall.h>
#include <staticcall/abi.h>

/* The key: every call to greet() is a patchable site; greet is the default. */
int greet(const char *who) __attribute__((static_call));

int greet(const char *who)
{
	printf("    greet: hello, %s (the default target)\n", who);
	return 1;
}

int greet_loud(const char *who)
{
	printf("    greet_loud: HELLO, %s! (the new target)\n", who);
	return 2;
}

/* Two sites: a plain call and one whose result is used. */
__attribute__((noinline)) void site_one(void)
{
	greet("site one");
}

__attribute__((noinline)) int site_two(void)
{
	return greet("site two") * 10;
}

/* The site table of this executable (weak: empty without the plugin). */
extern const struct staticcall_site_rec __start_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));
extern const struct staticcall_site_rec __stop_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));

/* Which of the two caller functions holds addr: the nearest one below it. */
static const char *symbol_of(uintptr_t addr)
{
	uintptr_t one = (uintptr_t)site_one, two = (uintptr_t)site_two;

	if (addr >= one && (addr < two || two < one))
		return "site_one";
	if (addr >= two)
		return "site_two";
	return "?";
}

static void show_sites(void)
{
	const struct staticcall_site_rec *rec;
	size_t n = __stop_staticcall_sites - __start_staticcall_sites;

	printf("  %zu site(s) recorded in staticcall_sites:\n", n);
	for (rec = __start_staticcall_sites; rec < __stop_staticcall_sites; rec++) {
		const struct staticcall_key_rec *key = staticcall_site_key(rec);
		uintptr_t site = staticcall_site_addr(rec);
		const unsigned char *p = (const unsigned char *)site;
		unsigned flags = staticcall_site_flags(rec);

		printf("    site at %#lx (in %s): key %s, flags%s%s%s%s, bytes",
		       (unsigned long)site, symbol_of(site),
		       key->magic == STATICCALL_KEY_MAGIC ? staticcall_key_name(key) : "?",
		       flags ? "" : " none",
		       flags & STATICCALL_SITE_TAIL ? " tail" : "",
		       flags & STATICCALL_SITE_ALIGNED ? " aligned" : "",
		       flags & STATICCALL_SITE_INIT ? " init" : "");
		for (int i = 0; i < 8; i++)
			printf(" %02x", p[i]);
		printf("\n");
	}
}

static void call_sites(const char *when)
{
	printf("  calling through the sites (%s):\n", when);
	site_one();
	printf("    site_two returned %d\n", site_two());
}

#ifdef DEMO_RUNTIME
static void retarget(void)
{
	int err = staticcall_update(greet, greet_loud);

	printf("  staticcall_update(greet, greet_loud) = %d\n", err);
}
#endif

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);	/* keep output if a step crashes */
	show_sites();
	call_sites("default target");
#ifdef DEMO_RUNTIME
	retarget();
	show_sites();
	call_sites("after the update");
#else
	printf("  (runtime not built yet: no retargeting shown)\n");
#endif
	return 0;
}
