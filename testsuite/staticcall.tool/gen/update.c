/* gen/update.c: main of the gen end-to-end test.  calls.c is compiled
   without the plugin and given its table by `staticcall-tool gen`; the
   runtime must register those sites and retarget them (x86-64: through
   the breakpoint protocol, the sites are not aligned), then reset them. */
#include <stdio.h>
#include <staticcall.h>

int caller(int);
int tail(int);

int work(int x)
{
	return x * 2;
}

int work2(int x)
{
	return x * 10;
}

int other(int x)
{
	return x + 100;
}

int main(void)
{
	int a = caller(5), b = tail(7), rc;

	rc = staticcall_update(work, work2);
	printf("%d %d %d %d %d\n", a, b, rc, caller(5), tail(7));
	staticcall_reset(work);
	printf("%d %d\n", caller(5), tail(7));
	return 0;
}
