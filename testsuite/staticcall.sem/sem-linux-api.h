/* sem-linux-api.h: names shared by sem-linux-api.c and sem-linux-api-b.c. */
#include <staticcall/linux.h>

/* Keep calls real calls (clang has no noipa; the folder clang.exp uses it). */
#ifdef __clang__
#define SEM_NOIPA __attribute__((noinline))
#else
#define SEM_NOIPA __attribute__((noipa))
#endif

int sem_add1(int x);
void sem_note(int *p, int v);
long sem_count(long x);

DECLARE_STATIC_CALL(sem_op, sem_add1);
DECLARE_STATIC_CALL(sem_hook, sem_note);
DECLARE_STATIC_CALL(sem_cnt, sem_count);

int sem_call_op(int x);
int sem_tail_op(int x);
void sem_call_hook(int *p, int *q);
void sem_tail_hook(int *p);
long sem_call_cnt(long x);
long sem_tail_cnt(long x);
