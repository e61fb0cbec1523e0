// Part of linux-api.cc: sites of keys defined in the other unit.
#include "linux-api.h"

__attribute__((noinline)) int cx_call_op(int x) { return static_call(cx_op)(x) * 10; }
__attribute__((noinline)) int cx_tail_op(int x) { return static_call(cx_op)(x); }
__attribute__((noinline)) void cx_call_hook(int *p) { static_call_cond(cx_hook)(p, 1); }
__attribute__((noinline)) long cx_call_cnt(long x) { return static_call(cx_cnt)(x) + 1; }
