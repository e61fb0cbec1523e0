/* Part of link-and-dlopen.c: a shared library the program loads with dlopen, with a site of its key.  */
int hook (int) __attribute__ ((static_call));
__attribute__ ((noinline)) int from_loaded (int x) { return hook (x); }
