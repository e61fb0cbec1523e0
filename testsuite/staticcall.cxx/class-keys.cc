// Keys in C++ scopes: a static member function, an inline member defined in
// its class, a static member function pointer, a namespace function, members
// of a class template and a function template (one key per instantiation).
// Why: C++ keys are named by mangled symbols and must be found and patched.
// { dg-do run }
// { dg-final { scan-tool-output "list" "key .* name _ZN5codec6encodeEi " } }
// { dg-final { scan-tool-output "list" "key .* name _ZN3opsIlE5twiceEl " } }
// { dg-final { scan-tool-output "list" "key .* name _ZN3opsIiE5twiceEi " } }
// { dg-final { scan-tool-output "list" "key .* name _Z5scaleIdET_S0_ " } }
#include <staticcall.h>
#include <cstdio>

#define CHECK(c) do { if (!(c)) { std::printf("line %d: %s\n", __LINE__, #c); return 1; } } while (0)

struct codec {
	static int encode(int x) __attribute__((static_call));
	static int decode(int x) __attribute__((static_call)) { return x - 1; }
	static int (*hook)(int) __attribute__((static_call));
};
int codec::encode(int x) { return x + 1; }
static int plus2(int x) { return x + 2; }
static int minus2(int x) { return x - 2; }
int (*codec::hook)(int) __attribute__((static_call)) = plus2;

namespace net {
int checksum(int x) __attribute__((static_call));
int checksum(int x) { return x ^ 1; }
}
static int checksum_hw(int x) { return x ^ 3; }

template <typename T> struct ops {
	static T twice(T x) __attribute__((static_call));
};
template <typename T> T ops<T>::twice(T x) { return x * 2; }
static long thrice_l(long x) { return x * 3; }
static int thrice_i(int x) { return x * 3; }

template <typename T> T scale(T x) __attribute__((static_call));
template <typename T> T scale(T x) { return x * 10; }
static double scale_d(double x) { return x * 100; }

__attribute__((noinline)) int call_encode(int x) { return codec::encode(x) * 10; }
__attribute__((noinline)) int call_decode(int x) { return codec::decode(x); }
__attribute__((noinline)) int call_hook(int x) { return codec::hook(x) * 10; }
__attribute__((noinline)) int call_checksum(int x) { return net::checksum(x); }
__attribute__((noinline)) long call_twice_l(long x) { return ops<long>::twice(x); }
__attribute__((noinline)) int call_twice_i(int x) { return ops<int>::twice(x) + 1; }
__attribute__((noinline)) double call_scale(double x) { return scale(x); }
__attribute__((noinline)) int call_scale_i(int x) { return scale(x); }

int main()
{
	CHECK(call_encode(1) == 20 && call_decode(5) == 4 && call_hook(1) == 30);
	CHECK(staticcall_update(codec::encode, plus2) == 0 && call_encode(1) == 30);
	CHECK(staticcall_query(codec::encode) == plus2);
	CHECK(staticcall_update(codec::decode, minus2) == 0 && call_decode(5) == 3);
	CHECK(staticcall_update(codec::hook, minus2) == 0 && call_hook(5) == 30);
	CHECK(codec::hook == minus2);
	CHECK(staticcall_reset(codec::encode) == 0 && call_encode(1) == 20);

	CHECK(call_checksum(4) == 5);
	CHECK(staticcall_update(net::checksum, checksum_hw) == 0 && call_checksum(4) == 7);

	/* two instantiations, two keys: updating one leaves the other */
	CHECK(call_twice_l(2) == 4 && call_twice_i(2) == 5);
	CHECK(staticcall_update(ops<long>::twice, thrice_l) == 0);
	CHECK(call_twice_l(2) == 6 && call_twice_i(2) == 5);
	CHECK(staticcall_update(ops<int>::twice, thrice_i) == 0 && call_twice_i(2) == 7);

	CHECK(call_scale(1.5) == 15.0 && call_scale_i(2) == 20);
	CHECK(staticcall_update(scale<double>, scale_d) == 0);
	CHECK(call_scale(1.5) == 150.0 && call_scale_i(2) == 20);
	CHECK(staticcall_reset(scale<double>) == 0 && call_scale(1.5) == 15.0);
	return 0;
}
