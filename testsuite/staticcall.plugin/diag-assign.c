/* A plain assignment to a static_call function pointer would leave its
   sites calling the old target: a compile error naming staticcall_update.  */
/* { dg-do compile } */

static int one(int x) { return x + 1; }
static int two(int x) { return x + 2; }
static int (*op)(int) __attribute__((static_call)) = one;

int use(int x) { return op(x); }
void retarget(void) { op = two; } /* { dg-error "use 'staticcall_update'" } */
void retarget2(void) { *&op = one; } /* { dg-error "use 'staticcall_update'" } */
