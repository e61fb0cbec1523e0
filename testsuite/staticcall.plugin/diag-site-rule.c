/* An explicit static_call on a callee the site rule refuses is an error
   at the declaration, naming the reason; a call from .init/.fini is an
   error at the call.  */
/* { dg-do compile } */

typedef long jb_t[64];
extern int _setjmp (jb_t) __attribute__ ((static_call)); /* { dg-error "'_setjmp' cannot be a 'static_call' key: it returns twice" } */
extern int setjmp (jb_t) __attribute__ ((static_call)); /* { dg-error "'setjmp' cannot be a 'static_call' key: it returns twice" } */
extern int vfork (void) __attribute__ ((static_call)); /* { dg-error "'vfork' cannot be a 'static_call' key: it returns twice" } */
extern int getcontext (void *) __attribute__ ((static_call)); /* { dg-error "returns twice" } */
extern int rt (void) __attribute__ ((static_call, returns_twice)); /* { dg-error "'rt' cannot be a 'static_call' key: it returns twice" } */
extern int late (void) __attribute__ ((returns_twice));
extern int late (void) __attribute__ ((static_call)); /* { dg-error "'late' cannot be a 'static_call' key: it returns twice" } */

static int impl (int x) { return x; }
static int (*resolve (void)) (int) { return impl; }
int ifn (int) __attribute__ ((ifunc ("resolve"), static_call)); /* { dg-error "'ifn' cannot be a 'static_call' key: it is an ifunc" } */

extern int key (int) __attribute__ ((static_call));

__attribute__ ((section (".init"), used)) static void
in_init (void)
{
  key (1); /* { dg-error "call to 'key' cannot be a 'static_call' site: the caller is in .init/.fini" } */
}

int
outer (int x)
{
  __attribute__ ((static_call)) int nested (int y) { return x + y; }
  return nested (x); /* { dg-error "'nested' cannot be a 'static_call' key: it is a nested function" } */
}
