// linux-api.h: the keys that linux-api.cc and linux-api-b.cc share.
#include <staticcall/linux.h>

int cx_add1(int x);
void cx_note(int *p, int v);
long cx_count(long x);

DECLARE_STATIC_CALL(cx_op, cx_add1);
DECLARE_STATIC_CALL(cx_hook, cx_note);
DECLARE_STATIC_CALL(cx_cnt, cx_count);

int cx_call_op(int x);
int cx_tail_op(int x);
void cx_call_hook(int *p);
long cx_call_cnt(long x);
