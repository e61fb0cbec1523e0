/* Part of link-and-dlopen.c: a shared library linked with the program, with a site of its key.  */
int hook (int) __attribute__ ((static_call));
__attribute__ ((noinline)) int from_linked (int x) { return hook (x); }
