// The API headers from C++ (staticcall.h, staticcall/linux.h, staticcall/alt.h):
// C linkage of the Linux names, type checks by template, same calls as C.
#include <staticcall.h>
#include <staticcall/linux.h>
#include <staticcall/alt.h>

static int fa(int x) { return x + 1; }
static int fb(int x) { return x + 2; }
static void note(int *p) { *p += 1; }

DEFINE_STATIC_CALL(cx_op, fa);
DEFINE_STATIC_CALL_NULL(cx_hook, note);

#ifdef __STATICCALL__
static int (*cx_ptr)(int) __attribute__((static_call)) = fa;
#else
static int (*cx_ptr)(int) = fa;
#endif

int main()
{
	int a = 0;

	if (static_call(cx_op)(1) != 2 || static_call_update(cx_op, fb) ||
	    static_call(cx_op)(1) != 3 || static_call_query(cx_op) != fb)
		return 1;
	static_call_cond(cx_hook)(&a);
	if (a != 0 || static_call_update(cx_hook, note))
		return 2;
	static_call_cond(cx_hook)(&a);
	if (a != 1 || static_call_query(cx_hook) != note)
		return 3;
	if (staticcall_update(cx_ptr, fb) || cx_ptr(1) != 3 ||
	    staticcall_query(cx_ptr) != fb || staticcall_reset(cx_ptr) ||
	    cx_ptr(1) != 2)
		return 4;
	return 0;
}
