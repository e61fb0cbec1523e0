/* The staticcall.h API on function-pointer keys gives the same calls with
   the plugin (sites) and without it (indirect calls through the variable):
   update, query, reset, NULL, return 0, push/pop (livepatch order), batch.  */
#include <errno.h>
#include <stdio.h>
#include <staticcall.h>

/* Without the plugin the attribute is unknown: plain pointers. */
#ifdef __STATICCALL__
#define SC __attribute__((static_call))
#else
#define SC
#endif
#ifdef __clang__
#define NOIPA __attribute__((noinline))
#else
#define NOIPA __attribute__((noipa))
#endif

static NOIPA int base(int x) { return x; }
static NOIPA int p1(int x) { return x + 1; }
static NOIPA int p2(int x) { return x + 2; }
static NOIPA int p3(int x) { return x + 3; }
static NOIPA void bump(int *p) { *p += 1; }
static NOIPA long count(long x) { return x * 2; }
NOIPA int fkey(int x) SC;
NOIPA int fkey(int x) { return x + 100; }

static int (*op)(int) SC = base;
static void (*hook)(int *) SC = bump;
static long (*cnt)(long) SC = count;

static NOIPA int call_op(int x) { return op(x); }
static NOIPA long call_cnt(long x) { return cnt(x) + 1; }
static NOIPA int call_hook(void) { int v = 0; hook(&v); return v; }
static NOIPA int call_fkey(int x) { return fkey(x); }

static int step;
#define SHOW(what, v) printf("%2d %-28s %ld\n", ++step, what, (long)(v))

int main(void)
{
	struct staticcall_patch a, b, c;
	int r;

	SHOW("op default", call_op(10));
	SHOW("update op p2", staticcall_update(op, p2));
	SHOW("op", call_op(10));
	SHOW("query is p2", staticcall_query(op) == p2);
	SHOW("reset op", staticcall_reset(op));
	SHOW("op", call_op(10));
	SHOW("query is base", staticcall_query(op) == base);

	SHOW("hook NULL", staticcall_update_null(hook));
	SHOW("hook calls do nothing", call_hook());
	SHOW("query NULL", staticcall_query(hook) == NULL);
	SHOW("reset hook", staticcall_reset(hook));
	SHOW("hook", call_hook());
	SHOW("cnt ret0", staticcall_update_ret0(cnt));
	SHOW("cnt", call_cnt(21));
	SHOW("query ret0", (void *)staticcall_query(cnt) ==
	     (void *)__static_call_return0);
	SHOW("reset cnt", staticcall_reset(cnt));
	SHOW("cnt", call_cnt(21));

	/* livepatch: push 1, 2, 3; pop 2 (3 runs); pop 3 (1 runs) */
	SHOW("push p1", staticcall_push(&a, op, p1));
	SHOW("push p2", staticcall_push(&b, op, p2));
	SHOW("push p3", staticcall_push(&c, op, p3));
	SHOW("op (p3)", call_op(10));
	SHOW("pop p2", staticcall_pop(&b));
	SHOW("op (p3 still)", call_op(10));
	SHOW("pop p3", staticcall_pop(&c));
	SHOW("op (p1)", call_op(10));
	SHOW("update under a patch", staticcall_update(op, p2));
	SHOW("op (p1 still)", call_op(10));
	SHOW("pop p1", staticcall_pop(&a));
	SHOW("op (the new base p2)", call_op(10));
	SHOW("pop again", staticcall_pop(&a));
	SHOW("reset op", staticcall_reset(op));

	{
		struct staticcall_retarget v[] = {
			STATICCALL_RETARGET(op, p3),
			STATICCALL_RETARGET(cnt, count),
		};

		/* return 0 is not of the key's type: set it by hand */
		v[1].target = (void *)(uintptr_t)__static_call_return0;
		SHOW("batch op p3, cnt ret0", staticcall_update_batch(v, 2));
		SHOW("op", call_op(10));
		SHOW("cnt", call_cnt(21));
		staticcall_reset(op);
		staticcall_reset(cnt);
	}

	/* function keys: sites only; without the plugin there are none */
	r = staticcall_update(fkey, p1);
#ifdef __STATICCALL__
	SHOW("fkey retargeted", r == 0 && call_fkey(10) == 11);
	staticcall_reset(fkey);
#else
	SHOW("fkey retargeted", r == -ENOENT && call_fkey(10) == 110);
#endif
	SHOW("fkey", call_fkey(10));
	return 0;
}
