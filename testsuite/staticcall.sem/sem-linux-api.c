/* The Linux static_call API layer across two units: DEFINE/DECLARE, NULL
   (void: no-op, args evaluated; value key: empty call), RET0, query, update
   of call and tail sites, and (with the plugin) that sites are direct calls.  */
/* { dg-do run } */
/* { dg-additional-sources "sem-linux-api-b.c" } */
#include <stdio.h>
#include "sem-linux-api.h"
#include "../lib/sctest.h"

SEM_NOIPA int sem_add1(int x) { return x + 1; }
SEM_NOIPA static int add2(int x) { return x + 2; }
SEM_NOIPA static int add3(int x) { return x + 3; }
SEM_NOIPA void sem_note(int *p, int v) { *p += v; }
SEM_NOIPA static void note2(int *p, int v) { *p += 2 * v; }
SEM_NOIPA long sem_count(long x) { return x * 3; }

DEFINE_STATIC_CALL(sem_op, sem_add1);
DEFINE_STATIC_CALL_NULL(sem_hook, sem_note);
DEFINE_STATIC_CALL_RET0(sem_cnt, sem_count);
EXPORT_STATIC_CALL(sem_op);
EXPORT_STATIC_CALL_GPL(sem_hook);


int main(void)
{
	int a = 0, q = 0;

#ifdef __STATICCALL__
	/* bound at start-up: sites call sem_add1 directly, not the trampoline */
	CHECK(staticcall_query_key((void *)&STATIC_CALL_TRAMP(sem_op), 0) ==
	      (void *)sem_add1);
	STATIC_CALL_KEY(sem_op) = add3;
	CHECK(sem_call_op(1) == 20 && sem_tail_op(1) == 2);
	STATIC_CALL_KEY(sem_op) = sem_add1;
#endif
	/* function target: call and tail sites, query */
	CHECK(sem_call_op(1) == 20 && sem_tail_op(1) == 2);
	CHECK(static_call_query(sem_op) == sem_add1);
	CHECK(static_call_update(sem_op, add2) == 0);
	CHECK(sem_call_op(1) == 30 && sem_tail_op(1) == 3);
	CHECK(static_call(sem_op)(5) == 7);
	CHECK(static_call_query(sem_op) == add2);

#ifdef __STATICCALL__
	/* sites are direct calls now: bypassing the API, the pointer alone
	   no longer decides where they go (without the plugin it does) */
	STATIC_CALL_KEY(sem_op) = add3;
	CHECK(sem_call_op(1) == 30 && sem_tail_op(1) == 3);
	STATIC_CALL_KEY(sem_op) = add2;
	CHECK(staticcall_query_key((void *)&STATIC_CALL_TRAMP(sem_op), 0) ==
	      (void *)add2);
#else
	STATIC_CALL_KEY(sem_op) = add3;
	CHECK(sem_call_op(1) == 40 && sem_tail_op(1) == 4);
	STATIC_CALL_KEY(sem_op) = add2;
#endif

	/* NULL on a void key: nothing happens, arguments evaluated */
	CHECK(static_call_query(sem_hook) == NULL);
	sem_call_hook(&a, &q);
	sem_tail_hook(&a);
	CHECK(a == 100 && q == 1);
	CHECK(static_call_update(sem_hook, sem_note) == 0);
	a = 0;
	sem_call_hook(&a, &q);
	sem_tail_hook(&a);
	CHECK(a == 1101 && q == 2);
	CHECK(static_call_update(sem_hook, note2) == 0);
	a = 0;
	sem_call_hook(&a, &q);
	CHECK(a == 102 && q == 3);
	CHECK(static_call_update(sem_hook, NULL) == 0);
	CHECK(static_call_query(sem_hook) == NULL);
	a = 0;
	sem_call_hook(&a, &q);
	sem_tail_hook(&a);
	CHECK(a == 100 && q == 4);

	/* return 0 */
	CHECK(sem_call_cnt(5) == 1 && sem_tail_cnt(5) == 0);
	CHECK((void *)static_call_query(sem_cnt) == (void *)__static_call_return0);
	CHECK(static_call_update(sem_cnt, sem_count) == 0);
	CHECK(sem_call_cnt(5) == 16 && sem_tail_cnt(5) == 15);
	CHECK(static_call_update(sem_cnt, (void *)__static_call_return0) == 0);
	CHECK(sem_call_cnt(5) == 1 && sem_tail_cnt(5) == 0);

	/* NULL on a value key: calls do nothing (result undefined), query NULL */
	CHECK(static_call_update(sem_op, NULL) == 0);
	CHECK(static_call_query(sem_op) == NULL);
	static_call_cond(sem_op)(1);
	sem_call_op(1);
	CHECK(static_call_update(sem_op, sem_add1) == 0);
	CHECK(sem_call_op(1) == 20 && sem_tail_op(1) == 2);
	/* the aliases */
	CHECK(static_call_init() == 0 && static_call_mod(sem_op)(1) == 2 &&
	      static_call_ro(sem_op)(2) == 3 &&
	      (void *)STATIC_CALL_TRAMP_ADDR(sem_op) == (void *)&__SCT__sem_op);
	printf("ok\n");
	return 0;
}
