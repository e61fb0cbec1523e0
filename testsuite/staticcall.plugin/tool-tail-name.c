/* staticcall-tool names the real callee of an x86-64 tail site to a local
   target (which jumps to a weak alias __staticcall_tail.<f>.<n>.<hex>):
   the key's ident and default and the site's target are l_message, in
   the text and the JSON listing.  */
/* { dg-do assemble } */
/* { dg-options "-O2 -fplugin-arg-staticcall-keys=all" } */

extern int printf (const char *, ...);
static __attribute__ ((noinline)) int l_message (int x) { printf ("m%d\n", x); return x; }
__attribute__ ((noinline)) int relay (int x) { return l_message (x + 1); }

/* { dg-final { scan-assembler {jmp\t__staticcall_tail\.l_message\.} { target x86_64-*-* } } } */
/* { dg-final { scan-tool-output "list" {key [^\n]* name l_message flags - ident l_message default l_message(\n|$)} } } */
/* { dg-final { scan-tool-output "list" {flags tail,aligned insn e900000000 jmp l_message(\n|$)} { target x86_64-*-* } } } */
/* { dg-final { scan-tool-output "list --json" {"insn": "jmp", "target": "l_message"} { target x86_64-*-* } } } */
