/* Second unit of sem-linux-api.c: static_call() on names DECLAREd in a
   header and DEFINEd in the other unit; call and tail sites.  */
#include "sem-linux-api.h"

static int side_effects;

__attribute__((noipa)) static int side(int *q)
{
	(*q)++;
	side_effects++;
	return 0;
}

__attribute__((noipa)) int sem_call_op(int x)
{
	return static_call(sem_op)(x) * 10;
}

__attribute__((noipa)) int sem_tail_op(int x)
{
	return static_call(sem_op)(x);
}

__attribute__((noipa)) void sem_call_hook(int *p, int *q)
{
	static_call_cond(sem_hook)(p, side(q) + 1);
	*p += 100;
}

__attribute__((noipa)) void sem_tail_hook(int *p)
{
	static_call_cond(sem_hook)(p, 1000);
}

__attribute__((noipa)) long sem_call_cnt(long x)
{
	return static_call(sem_cnt)(x) + 1;
}

__attribute__((noipa)) long sem_tail_cnt(long x)
{
	return static_call(sem_cnt)(x);
}
