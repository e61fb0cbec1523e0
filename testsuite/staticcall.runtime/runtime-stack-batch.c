/* Stacked targets (push/pop, the livepatch case: push 1, 2, 3; pop 2: 3
   runs; pop 3: 1 runs; pop 1: the default) and batches (several keys, one
   sync, all or nothing).  Why: the stack and batch semantics of doc/semantics.md.  */
/* { dg-do run } */

#include <errno.h>
#include <staticcall.h>

int live(int x) __attribute__((static_call));
__attribute__((noipa)) int live(int x) { return x; }
__attribute__((noipa)) int patch1(int x) { return x + 1; }
__attribute__((noipa)) int patch2(int x) { return x + 2; }
__attribute__((noipa)) int patch3(int x) { return x + 3; }
__attribute__((noipa)) int base2(int x) { return x + 20; }
__attribute__((noipa)) static int call_live(int x) { return live(x) * 1 + 0; }

int ka(int x) __attribute__((static_call));
int kb(int x) __attribute__((static_call));
void kv(int *p) __attribute__((static_call));
__attribute__((noipa)) int ka(int x) { return x + 100; }
__attribute__((noipa)) int kb(int x) { return x + 200; }
__attribute__((noipa)) void kv(int *p) { (*p)++; }
__attribute__((noipa)) static int use_ka(int x) { return ka(x) + 0 * x; }
__attribute__((noipa)) static int use_kb(int x) { return kb(x) + 0 * x; }
__attribute__((noipa)) static void use_kv(int *p) { kv(p); *p += 10; }

int main(void)
{
	struct staticcall_patch p1, p2, p3;
	int v = 0;

	if (call_live(0) != 0)
		return 1;
	if (staticcall_push(&p1, live, patch1) || staticcall_push(&p2, live, patch2) ||
	    staticcall_push(&p3, live, patch3))
		return 2;
	if (call_live(0) != 3 || staticcall_query(live) != patch3)
		return 3;
	if (staticcall_push(&p2, live, patch2) != -ENOENT)	/* twice */
		return 4;
	if (staticcall_pop(&p2) || call_live(0) != 3)
		return 5;
	if (staticcall_pop(&p3) || call_live(0) != 1)
		return 6;
	if (staticcall_pop(&p1) || call_live(0) != 0)
		return 7;
	if (staticcall_pop(&p1) != -ENOENT)
		return 8;
	/* the oldest popped first hands the base on; update changes the base */
	if (staticcall_push(&p1, live, patch1) || staticcall_push(&p2, live, patch2))
		return 9;
	if (staticcall_update(live, base2) || call_live(0) != 2)
		return 10;
	if (staticcall_pop(&p1) || call_live(0) != 2)
		return 11;
	if (staticcall_pop(&p2) || call_live(0) != 20)
		return 12;
	if (staticcall_reset(live) || call_live(0) != 0)
		return 13;

	/* batch: all or nothing */
	{
		struct staticcall_retarget ok[3] = {
			STATICCALL_RETARGET(ka, kb),
			STATICCALL_RETARGET(kb, ka),
			{ (const void *)(uintptr_t)kv, 0, 0 },
		};
		struct staticcall_retarget bad[2] = {
			STATICCALL_RETARGET(ka, ka),
			{ (const void *)(uintptr_t)kb, 0, 0 },	/* NULL, not void */
		};

		if (staticcall_update_batch(ok, 3))
			return 14;
		use_kv(&v);
		if (use_ka(0) != 200 || use_kb(0) != 100 || v != 10)
			return 15;
		if (staticcall_update_batch(bad, 2) != -EINVAL)
			return 16;
		if (use_ka(0) != 200 || use_kb(0) != 100)
			return 17;
		if (staticcall_reset(ka) || staticcall_reset(kb) || staticcall_reset(kv))
			return 18;
		use_kv(&v);
		if (use_ka(0) != 100 || use_kb(0) != 200 || v != 21)
			return 19;
	}
	return 0;
}
