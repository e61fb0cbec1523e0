/* Sites that cross an 8-byte word (not plugin-aligned) change through the
   breakpoint protocol while 4 threads call them: every call reaches the old
   or the new target, none crashes (20,000 updates, or 5 s once 1,000 are
   done).  Why: objects built without alignment.  */
/* { dg-do run { target x86_64-*-* } } */
/* { dg-staticcall-noplugin "" } */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <staticcall.h>
#include <staticcall/abi.h>
#include "../lib/sctest.h"

int fa(int x);
__attribute__((noipa)) int fa(int x) { return x + 1; }
__attribute__((noipa)) int fb(int x) { return x + 2; }

int site_u6(int x);	/* call at word offset 6 */
int site_u7(int x);	/* call at word offset 7 */
int site_t5(int x);	/* tail jump at word offset 5 */

__asm__(
	"	.text\n"
	"	.p2align 4\n"
	"site_u6:\n"
	"	sub $8, %rsp\n"
	"	.p2align 3\n"
	"	.byte 0x90, 0x90, 0x90, 0x90, 0x90, 0x90\n"
	"1:	.byte 0xe8\n	.long fa - . - 4\n"
	"	add $8, %rsp\n"
	"	ret\n"
	"	.p2align 4\n"
	"site_u7:\n"
	"	sub $8, %rsp\n"
	"	.p2align 3\n"
	"	.byte 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90\n"
	"2:	.byte 0xe8\n	.long fa - . - 4\n"
	"	add $8, %rsp\n"
	"	ret\n"
	"	.p2align 4\n"
	"site_t5:\n"
	"	.p2align 3\n"
	"	.byte 0x90, 0x90, 0x90, 0x90, 0x90\n"
	"3:	.byte 0xe9\n	.long fa - . - 4\n"
	"	.section staticcall_keys,\"aw\"\n"
	"	.balign 8\n"
	"key_fa:\n"
	"	.long 0x4b435353\n"
	"	.short 1, 0\n"
	"	.long key_fa_name - .\n"
	"	.long 0\n"
	"	.quad fa\n"
	"	.quad fa\n"
	"	.quad 0, 0, 0, 0\n"
	"	.section .rodata\n"
	"key_fa_name: .asciz \"fa\"\n"
	STATICCALL_SITES_SECTION_ASM "\n"
	STATICCALL_SITE_REC_ASM("1b", "key_fa", "0")
	STATICCALL_SITE_REC_ASM("2b", "key_fa", "0")
	STATICCALL_SITE_REC_ASM("3b", "key_fa", "1")
	"	.popsection\n"
	STATICCALL_INDEX_SLOT_ASM("", "%")
	STATICCALL_INDEX_SLOT_ASM("", "%")
	STATICCALL_INDEX_SLOT_ASM("", "%")
	"	.text\n");

static volatile int stop;
static unsigned long bad, total;

static void *worker(void *arg)
{
	unsigned long n = 0;

	(void)arg;
	while (!stop) {
		int a = site_u6(10), b = site_u7(20), c = site_t5(30);

		if ((a != 11 && a != 12) || (b != 21 && b != 22) ||
		    (c != 31 && c != 32))
			__atomic_add_fetch(&bad, 1, __ATOMIC_RELAXED);
		n++;
	}
	__atomic_add_fetch(&total, n, __ATOMIC_RELAXED);
	return NULL;
}

int main(void)
{
	pthread_t th[4];
	long iters = 20000, least = 1000, i;
	const char *env = getenv("STATICCALL_STRESS_ITERS");

	if (sctest_emulated()) {
		iters = 2000;
		least = 100;
	}
	if (env)
		iters = atol(env);
	for (i = 0; i < 4; i++)
		if (pthread_create(&th[i], NULL, worker, NULL))
			return 1;
	sctest_seconds();
	for (i = 0; i < iters; i++) {
		/* at most 5 s on a slow or busy machine; an even count ends
		   on the default */
		if (!(i & 1) && sctest_enough(i, least, 5.0))
			break;
		if (staticcall_update(fa, (i & 1) ? fa : fb) != 0) {
			stop = 1;
			printf("update %ld failed\n", i);
			return 2;
		}
	}
	iters = i;
	stop = 1;
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	printf("%ld updates, %lu rounds of calls, bad %lu\n", iters, total, bad);
	if (bad)
		return 3;
	return site_u6(0) != 1 || site_u7(0) != 1 || site_t5(0) != 1;
}
