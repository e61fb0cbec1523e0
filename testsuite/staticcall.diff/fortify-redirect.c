/* _FORTIFY_SOURCE (distribution hardening flags) makes glibc redirect longjmp and
   siglongjmp to __longjmp_chk: under keys=all both name one key, one record. */
/* { dg-staticcall-plugin-options "-fplugin-arg-staticcall-keys=all" } */
/* { dg-options "-O2 -D_FORTIFY_SOURCE=2 -Wall -Wextra" } */

#include <setjmp.h>
#include <stdio.h>

static jmp_buf env;
static sigjmp_buf senv;

__attribute__((noinline)) static void jump(int v)
{
	longjmp(env, v);
}

__attribute__((noinline)) static void sjump(int v)
{
	siglongjmp(senv, v);
}

int main(void)
{
	volatile int n = 0, m = 0;

	if (setjmp(env) < 3) {
		n++;
		jump(n);
	}
	if (sigsetjmp(senv, 0) < 2) {
		m++;
		sjump(m);
	}
	printf("%d %d\n", n, m);
	return n != 3 || m != 2;
}
