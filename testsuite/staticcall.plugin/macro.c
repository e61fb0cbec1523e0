/* The plugin predefines __STATICCALL__ as its version (major*10000 +
   minor*100 + patch), so headers can tell it is active.  */
/* { dg-do compile } */

#if !defined(__STATICCALL__) || __STATICCALL__ < 100
#error "__STATICCALL__ missing or wrong"
#endif
int version = __STATICCALL__;
/* { dg-final { scan-assembler {\t\.(long|word)\t[1-9][0-9]*\n} } } */
