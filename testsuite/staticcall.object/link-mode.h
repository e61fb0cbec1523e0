/* Included by the link-*.c tests: one program body built in each link mode.  With LINK_MODE_LIB the
   program is linked against liblm*.so (link-mode-lib.c): sites of its key there, and a key of the library's own.  */

#include <staticcall.h>

typedef int fn_t (int);

int hook (int) __attribute__ ((static_call));
int hook (int x) { return x + 1; }
int hook_new (int x) { return x + 100; }
int fp_default (int x) { return x + 2; }
int fp_new (int x) { return x + 200; }
fn_t *fp __attribute__ ((static_call)) = fp_default;

__attribute__ ((noinline)) int m_call (int x) { return hook (x) + 0; }
__attribute__ ((noinline)) int m_tail (int x) { return hook (x + 1); }
__attribute__ ((noinline)) int m_fp (int x) { return fp (x); }
/* Never called: --gc-sections may drop it, and its site record must then
   not be left pointing at nothing (registration would refuse the table).  */
__attribute__ ((noinline)) int m_unused (int x) { return hook (x) * 3; }

#ifdef LINK_MODE_LIB
int lib_call (int);
int lib_selftest (void);
#define LIB_CALL(x) lib_call (x)
#else
#define LIB_CALL(x) hook (x)
#define lib_selftest() 0
#endif

static int
check (int h, int f)
{
  return m_call (1) == h && m_tail (0) == h && LIB_CALL (1) == h && m_fp (0) == f;
}

int
main (void)
{
  if (!check (2, 2))
    return 1;
  /* -ENOENT here: the program's sites were not registered (constructor, site table) */
  if (staticcall_update (hook, hook_new) != 0 || staticcall_update (fp, fp_new) != 0)
    return 2;
  if (!check (101, 200))
    return 3;
  if (lib_selftest () != 0)
    return 4;
  if (staticcall_reset (hook) != 0 || staticcall_reset (fp) != 0 || !check (2, 2))
    return 5;
  return 0;
}
