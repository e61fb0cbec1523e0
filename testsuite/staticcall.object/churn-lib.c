/* Part of churn.c: a library with sites of the program's key, loaded and unloaded over and over.  */
int hook (int) __attribute__ ((static_call));
__attribute__ ((noinline)) int churn_call (int x) { return hook (x); }
