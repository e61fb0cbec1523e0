// Exceptions thrown through retargeted sites: the default targets cannot
// throw (so the front end would call them nothrow) and the new targets do;
// the caller's handler catches, destructors between run, and a noexcept
// key keeps its contract.  Why: a site's next target is unknown when its
// caller is compiled, so calls to a key need EH edges like any call.
// { dg-do run }
#include <staticcall.h>
#include <cstdio>
#include <stdexcept>

#define CHECK(c) do { if (!(c)) { std::printf("line %d: %s\n", __LINE__, #c); return 1; } } while (0)

int parse(int x) __attribute__((static_call));
int parse(int x) { return x; }
static int parse_strict(int x)
{
	if (x < 0)
		throw std::invalid_argument("negative");
	return x * 2;
}

struct reader {
	static int next(int x) __attribute__((static_call));
};
int reader::next(int x) { return x + 1; }
static int next_eof(int) { throw std::out_of_range("eof"); }

template <typename T> T get(T x) __attribute__((static_call));
template <typename T> T get(T x) { return x; }
static long get_throw(long x) { throw x; }

int (*handler)(int) __attribute__((static_call)) = parse;

static int live;
struct guard {
	guard() { live++; }
	~guard() { live--; }
};

__attribute__((noinline)) int call_parse(int x) { guard g; return parse(x) + 1; }
__attribute__((noinline)) int tail_parse(int x) { return parse(x); }
__attribute__((noinline)) int call_next(int x) { return reader::next(x) * 2; }
__attribute__((noinline)) long call_get(long x) { guard g; return get(x) + 1; }
__attribute__((noinline)) int call_handler(int x) { return handler(x) + 1; }

int main()
{
	CHECK(call_parse(-1) == 0 && tail_parse(-1) == -1 && call_next(1) == 4);
	CHECK(staticcall_update(parse, parse_strict) == 0);
	CHECK(call_parse(2) == 5 && tail_parse(2) == 4);
	int caught = 0;
	try { call_parse(-1); } catch (const std::invalid_argument &) { caught++; }
	try { tail_parse(-1); } catch (const std::invalid_argument &) { caught++; }
	CHECK(caught == 2 && live == 0);

	CHECK(staticcall_update(reader::next, next_eof) == 0);
	try { call_next(1); CHECK(0); } catch (const std::out_of_range &) { caught++; }
	CHECK(caught == 3);

	CHECK(call_get(1) == 2);
	CHECK(staticcall_update(get<long>, get_throw) == 0);
	try { call_get(7); CHECK(0); } catch (long v) { CHECK(v == 7); caught++; }
	CHECK(caught == 4 && live == 0);

	CHECK(staticcall_update(handler, parse_strict) == 0 && call_handler(3) == 7);
	try { call_handler(-3); CHECK(0); } catch (const std::exception &) { caught++; }
	CHECK(caught == 5);

	/* back to the defaults: no handler needed any more */
	CHECK(staticcall_reset(parse) == 0 && call_parse(-1) == 0);
	return 0;
}
