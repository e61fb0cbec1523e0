/* Second unit of sem-linux-api.c: static_call() on names DECLAREd in a
   header and DEFINEd in the other unit; call and tail sites.  */
#include "sem-linux-api.h"

static int side_effects;

SEM_NOIPA static int side(int *q)
{
	(*q)++;
	side_effects++;
	return 0;
}

SEM_NOIPA int sem_call_op(int x)
{
	/* unsigned: after an update to NULL the result is undefined (any
	   int), which must not overflow (the sanitizer build, scripts/sanitize) */
	return (int)((unsigned)static_call(sem_op)(x) * 10u);
}

SEM_NOIPA int sem_tail_op(int x)
{
	return static_call(sem_op)(x);
}

SEM_NOIPA void sem_call_hook(int *p, int *q)
{
	static_call_cond(sem_hook)(p, side(q) + 1);
	*p += 100;
}

SEM_NOIPA void sem_tail_hook(int *p)
{
	static_call_cond(sem_hook)(p, 1000);
}

SEM_NOIPA long sem_call_cnt(long x)
{
	return static_call(sem_cnt)(x) + 1;
}

SEM_NOIPA long sem_tail_cnt(long x)
{
	return static_call(sem_cnt)(x);
}
