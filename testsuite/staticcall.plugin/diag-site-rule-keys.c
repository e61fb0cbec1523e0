/* keys= naming a callee the site rule refuses is an error at its first
   call.  */
/* { dg-do compile } */
/* { dg-options "-fplugin-arg-staticcall-keys=_setjmp,vfork" } */

typedef long jb_t[64];
extern int _setjmp (jb_t);
extern int vfork (void);
static jb_t jb;

int
use (void)
{
  if (_setjmp (jb)) /* { dg-error "'_setjmp' cannot be a 'static_call' key: it returns twice" } */
    return 1;
  return vfork () + vfork (); /* { dg-error "'vfork' cannot be a 'static_call' key" } */
}
