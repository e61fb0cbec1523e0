/*
 * prog.c - the user's program of property.exp: one key, two targets,
 * built with the plugin and the target's protection flags.  Only linked
 * (a relocatable link, and with -DFREESTANDING a -nostdlib image that
 * needs nothing but the freestanding core), never run: what is checked is
 * the GNU property note of the output.
 */
#include <staticcall.h>

long work(long x) __attribute__((static_call));
long work(long x) { return x + 1; }
static long work_fast(long x) { return x + 2; }

#ifdef FREESTANDING
#include <staticcall/platform.h>
/* no staticcall-object.o: a freestanding image registers itself */
STATICCALL_REGISTERS_ITSELF;

void _start(void);
void _start(void)
{
	staticcall_update(work, work_fast);
	work(1);
	for (;;)
		;
}
#else
int main(void)
{
	return staticcall_update(work, work_fast) || work(1) != 3;
}
#endif
