/* The bytes of NULL and return-0 sites: each inline form is one instruction
   of the site's length (x86-64 nopl / ret / cs cs cs xor, arm64 nop), else a
   call or jump to a function doing it; a thread preempted inside a site must
   never resume in the middle of the next form (x86-64 tail ret0 is a jmp).  */
/* { dg-do run } */
#include <stdio.h>
#include <string.h>
#include <staticcall.h>
#include <staticcall/abi.h>

extern struct staticcall_site_rec __start_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));
extern struct staticcall_site_rec __stop_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));
void staticcall_nop_target(void);

void hook(int *p) __attribute__((static_call));
__attribute__((noipa)) void hook(int *p) { (*p)++; }
long value(long x) __attribute__((static_call));
__attribute__((noipa)) long value(long x) { return x + 1; }

__attribute__((noipa)) void call_hook(int *p) { hook(p); (*p) += 10; }
__attribute__((noipa)) void tail_hook(int *p) { hook(p); }
__attribute__((noipa)) long call_value(long x) { return value(x) * 2; }
__attribute__((noipa)) long tail_value(long x) { return value(x); }

/* -O0 makes no sibling calls, so no tail sites */
#ifdef __OPTIMIZE__
# define OPT	1
#else
# define OPT	0
#endif
#if defined(__x86_64__)
# define TAIL_SITES	OPT
static const unsigned char nop[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
static const unsigned char ret[] = { 0xc3 };
static const unsigned char ret0[] = { 0x2e, 0x2e, 0x2e, 0x31, 0xc0 };
# define NULL_CALL	nop, 5
# define NULL_TAIL	ret, 1
# define RET0_CALL	ret0, 5
#elif defined(__aarch64__)
# define TAIL_SITES	OPT
static const unsigned char nop[] = { 0x1f, 0x20, 0x03, 0xd5 };
# define NULL_CALL	nop, 4
# define NULL_TAIL	NULL, 0
# define RET0_CALL	NULL, 0
#else
# define TAIL_SITES	0	/* the plugin never emits tail sites on ppc64 */
# define NULL_CALL	NULL, 0
# define NULL_TAIL	NULL, 0
# define RET0_CALL	NULL, 0
#endif

static int bad;

/* Where the branch at @s goes, or 0 when it is not one. */
static unsigned long branch_dest(const unsigned char *s, int tail)
{
#if defined(__x86_64__)
	int32_t rel;

	if (s[0] != (tail ? 0xe9 : 0xe8))
		return 0;
	memcpy(&rel, s + 1, 4);
	return (unsigned long)(s + 5 + rel);
#elif defined(__aarch64__) || defined(__powerpc64__)
	uint32_t w, op;
	int64_t off;

	memcpy(&w, s, 4);
# ifdef __aarch64__
	op = w & 0xfc000000;
	if (op != (tail ? 0x14000000u : 0x94000000u))
		return 0;
	off = (int64_t)((uint64_t)(w & 0x03ffffff) << 38) >> 36;
# else
	op = w & 0xfc000003;
	if (op != (tail ? 0x48000000u : 0x48000001u))
		return 0;
	off = (int64_t)((uint64_t)(w & 0x03fffffc) << 38) >> 38;
# endif
	return (unsigned long)(s + off);
#endif
}

/* Every site of @key with @tail must look like @want (bytes, or a branch). */
static void check(const char *what, void *key, int tail, const unsigned char *want,
		  unsigned int len, void *dest)
{
	struct staticcall_site_rec *r;
	int n = 0;

	for (r = __start_staticcall_sites; r < __stop_staticcall_sites; r++) {
		const unsigned char *s = (const unsigned char *)staticcall_site_addr(r);

		if (staticcall_site_is_definition(r) ||	/* no site */
		    staticcall_site_key(r)->ident != (uintptr_t)key ||
		    !(staticcall_site_flags(r) & STATICCALL_SITE_TAIL) != !tail)
			continue;
		n++;
		if (want && memcmp(s, want, len)) {
			printf("%s: site %p has %02x %02x %02x %02x %02x\n", what,
			       (void *)s, s[0], s[1], s[2], s[3], s[4]);
			bad++;
		}
		if (!want && !branch_dest(s, tail)) {
			printf("%s: site %p is not a branch\n", what, (void *)s);
			bad++;
		}
#if !defined(__powerpc64__)
		/* ppc64 always branches to a stub; elsewhere in reach: direct */
		if (!want && branch_dest(s, tail) != (unsigned long)dest) {
			printf("%s: site %p goes to %#lx, not %p\n", what,
			       (void *)s, branch_dest(s, tail), dest);
			bad++;
		}
#else
		(void)dest;
#endif
	}
	if (!n && (!tail || TAIL_SITES)) {
		printf("%s: no site\n", what);
		bad++;
	}
}

int main(void)
{
	int a = 0;

	if (staticcall_update_null(hook) || staticcall_update_ret0(value))
		return 1;
	check("NULL call", (void *)hook, 0, NULL_CALL, (void *)staticcall_nop_target);
	check("NULL tail", (void *)hook, 1, NULL_TAIL, (void *)staticcall_nop_target);
	check("ret0 call", (void *)value, 0, RET0_CALL, (void *)__static_call_return0);
	check("ret0 tail", (void *)value, 1, NULL, 0, (void *)__static_call_return0);
	call_hook(&a);
	tail_hook(&a);
	if (a != 10 || call_value(5) != 0 || tail_value(5) != 0)
		bad++;
	if (staticcall_reset(hook) || staticcall_reset(value))
		return 2;
	check("reset call", (void *)value, 0, NULL, 0, (void *)value);
	call_hook(&a);
	if (a != 21 || call_value(5) != 12 || tail_value(5) != 6)
		bad++;
	printf("bad %d\n", bad);
	return bad != 0;
}
