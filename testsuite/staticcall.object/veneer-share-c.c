/* Part of veneer-share.c: a library with sites of the program's key.  */
int hook (int) __attribute__ ((static_call));
__attribute__ ((noinline)) int c_call (int x) { return hook (x) * 1 + 0 * x; }
__attribute__ ((noinline)) int c_tail (int x) { return hook (x); }
