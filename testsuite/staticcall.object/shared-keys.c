/* A key defined in the program with sites in two shared libraries, and a key defined in a library with
   sites in the program and the other library: one update (or reset) retargets every site of every object.  */
/* { dg-staticcall-shared "shared-keys-a.c" ska } */
/* { dg-staticcall-shared "shared-keys-b.c" skb } */

#include <staticcall.h>

int exe_key (int) __attribute__ ((static_call));
int exe_key (int x) { return x + 1; }
int exe_key_new (int x) { return x + 100; }

int lib_key (int) __attribute__ ((static_call));
int lib_key_b (int);

int a_exe (int), a_exe_tail (int), a_lib (int), b_exe (int), b_lib (int);

__attribute__ ((noinline)) int m_exe (int x) { return exe_key (x); }
__attribute__ ((noinline)) int m_lib (int x) { return lib_key (x); }

static int
check (int e, int l)
{
  return m_exe (1) == e && a_exe (1) == e && b_exe (1) == e
	 && a_exe_tail (0) == e
	 && m_lib (5) == l && a_lib (5) == l && b_lib (5) == l;
}

int
main (void)
{
  if (!check (2, 10))
    return 1;
  if (staticcall_update (exe_key, exe_key_new) != 0 || !check (101, 10))
    return 2;
  if (staticcall_update (lib_key, lib_key_b) != 0 || !check (101, 15))
    return 3;
  if (staticcall_query (lib_key) != lib_key_b
      || staticcall_query (exe_key) != exe_key_new)
    return 4;
  /* a target in another object than the key: the program's function for the library's key */
  if (staticcall_update (exe_key, lib_key_b) != 0 || !check (3, 15))
    return 5;
  if (staticcall_reset (exe_key) != 0 || staticcall_reset (lib_key) != 0
      || !check (2, 10))
    return 6;
  return 0;
}
