// C++ callers of the Linux API: DEFINE_STATIC_CALL / _NULL / _RET0 in one
// unit, DECLARE and sites in another, static member functions and lambdas
// converted to function pointers as targets, query and update.
// Why: kernel-style code compiled as C++ (extern "C" names, templates of
// the type checks) must behave as in C.
// { dg-do run }
// { dg-additional-sources "linux-api-b.cc" }
// { dg-final { scan-tool-output "list" "key .* name __SCT__cx_op " } }
#include <cstdio>
#include "linux-api.h"

#define CHECK(c) do { if (!(c)) { std::printf("line %d: %s\n", __LINE__, #c); return 1; } } while (0)

int cx_add1(int x) { return x + 1; }
void cx_note(int *p, int v) { *p += v; }
long cx_count(long x) { return x * 3; }

struct alt {
	static int add5(int x) { return x + 5; }
	static void note3(int *p, int v) { *p += 3 * v; }
};

DEFINE_STATIC_CALL(cx_op, cx_add1);
DEFINE_STATIC_CALL_NULL(cx_hook, cx_note);
DEFINE_STATIC_CALL_RET0(cx_cnt, cx_count);

int main()
{
	int a = 0;

	CHECK(cx_call_op(1) == 20 && cx_tail_op(1) == 2);
	CHECK(static_call_query(cx_op) == cx_add1);
	CHECK(static_call_update(cx_op, alt::add5) == 0);
	CHECK(cx_call_op(1) == 60 && cx_tail_op(1) == 6 && static_call(cx_op)(0) == 5);
	int (*twice)(int) = [](int x) { return 2 * x; };
	CHECK(static_call_update(cx_op, twice) == 0 && cx_call_op(4) == 80);
	CHECK(static_call_query(cx_op) == twice);

	CHECK(static_call_query(cx_hook) == nullptr);
	cx_call_hook(&a);
	CHECK(a == 0);
	CHECK(static_call_update(cx_hook, alt::note3) == 0);
	cx_call_hook(&a);
	CHECK(a == 3);
	CHECK(static_call_update(cx_hook, nullptr) == 0);
	cx_call_hook(&a);
	CHECK(a == 3 && static_call_query(cx_hook) == nullptr);

	CHECK(cx_call_cnt(5) == 1);
	CHECK(static_call_update(cx_cnt, cx_count) == 0 && cx_call_cnt(5) == 16);
	return 0;
}
