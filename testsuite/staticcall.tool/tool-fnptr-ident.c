/* staticcall-tool list names a pointer key's ident by its variable (a data symbol), not by the code
   symbol before its address (issue 27, item 6: "ident _fini+0x2674" for the variable hash).  */
/* { dg-do link } */
/* { dg-final { scan-tool-output "list" "key \\S+ name hash flags fnptr ident hash default hash_default\n" } } */
/* { dg-final { scan-tool-output "list --json" "\"name\": \"hash\", \"flags\": \\\[\"fnptr\"\\\], \"ident\": \"hash\"" } } */
#include <staticcall.h>

static int hash_default (int x) { return x * 31; }
int (*hash) (int) __attribute__ ((static_call)) = hash_default;

int
main (int argc, char **argv)
{
  (void) argv;
  return hash (argc) == 31 ? 0 : 1;
}
