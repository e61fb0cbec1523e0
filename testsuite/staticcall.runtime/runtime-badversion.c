/* A site table whose key record has an unknown ABI version is refused as a
   whole at registration: logged, no site of the object registered or
   patched, calls keep their linked default.  Why: abi.h version rule.  */
/* { dg-do run } */
/* { dg-staticcall-noverify "" } */

#include <errno.h>
#include <string.h>
#include <staticcall.h>
#include <staticcall/abi.h>

int key_ok(int x) __attribute__((static_call));
__attribute__((noipa)) int key_ok(int x) { return x + 1; }
__attribute__((noipa)) int key_alt(int x) { return x + 2; }
__attribute__((noipa)) int bogus(int x) { return x; }

/* One extra site record pointing at a key record of version 99. */
__asm__(
	"	.section staticcall_keys,\"aw\"\n"
	"	.balign 8\n"
	"bad_key:\n"
	"	.long 0x4b435353\n"
	"	.short 99, 0\n"
	"	.long bad_key_name - .\n"
	"	.long 0\n"
	"	.quad bogus\n"
	"	.quad bogus\n"
	"	.quad 0, 0, 0, 0\n"
	"	.section .rodata\n"
	"bad_key_name: .asciz \"bogus\"\n"
	STATICCALL_SITES_SECTION_ASM "\n"
	STATICCALL_SITE_REC_ASM("bogus", "bad_key", "0")
	"	.popsection\n"
	STATICCALL_INDEX_SLOT_ASM("", "%")
	"	.text\n");

static char logged[512];

static void catch_log(const char *msg)
{
	strncpy(logged, msg, sizeof(logged) - 1);
}

extern char __start_staticcall_sites[] __attribute__((weak, visibility("hidden")));
extern char __stop_staticcall_sites[] __attribute__((weak, visibility("hidden")));

int main(void)
{
	static struct staticcall_object again;

	/* the constructor refused the table: the key is unknown */
	if (staticcall_update(key_ok, key_alt) != -ENOENT)
		return 2;
	if (key_ok(1) != 2)
		return 3;
	/* and so does the explicit object API, saying why */
	staticcall_set_log(catch_log);
	if (staticcall_object_add(&again, __start_staticcall_sites,
				  __stop_staticcall_sites) != -EINVAL)
		return 4;
	if (!strstr(logged, "version 99"))
		return 1;
	if (staticcall_update(key_ok, key_alt) != -ENOENT || key_ok(1) != 2)
		return 5;
	return 0;
}
