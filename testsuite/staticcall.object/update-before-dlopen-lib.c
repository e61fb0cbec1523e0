/* Part of update-before-dlopen.c: the only sites of the program's key work, one run by the constructor.  */
int work (int) __attribute__ ((static_call));
extern int ubd_ctor_result;

__attribute__ ((noinline)) int lib_call (int x) { return work (x); }

__attribute__ ((constructor)) static void
lib_init (void)
{
  ubd_ctor_result = work (1);
}
