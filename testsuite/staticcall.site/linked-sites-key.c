/* Part of linked-sites.c: the key's default target and the new one, in another translation unit.  */
int hook (int) __attribute__ ((static_call));
int hook (int x) { return x + 1; }
int other (int x) { return -x; }
