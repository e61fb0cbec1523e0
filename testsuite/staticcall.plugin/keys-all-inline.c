/* Without kernel mode keys=all makes every direct call a site, calls to
   inline functions included (the counterpart of keys-all-linux.c).  */
/* { dg-do compile } */
/* { dg-options "-fplugin-arg-staticcall-keys=all" } */

extern int ordinary (int);

static inline int helper (int x) { return ordinary (x) + 1; }

int
caller (int x)
{
  return helper (x);
}

/* { dg-final { scan-assembler {\t\.long __staticcall_key\.helper\.[0-9]+ - } } } */
