/* plugin-verify.c: a program built with the plugin carries a site table
   that `staticcall-tool verify` accepts and `list` decodes as calls.  */
/* { dg-do link } */
/* { dg-final { scan-tool-output "verify" ": 1 keys, 3 sites: ok" } } */
/* { dg-final { scan-tool-output "list" "site .* in main\\+0x\[0-9a-f\]+ key crc_sw flags aligned insn e8\[0-9a-f\]{8} call" { target x86_64-*-* } } } */
/* { dg-final { scan-tool-output "list" "site .* key crc_sw flags - insn \[0-9a-f\]{6}9\[4-7\] bl" { target aarch64-*-* } } } */
/* { dg-final { scan-tool-output "list" "site .* key crc_sw flags toc-saved insn \[0-9a-f\]{16} bl; (nop|ld r2,24\\(r1\\))" { target powerpc64le-*-* } } } */
#include <staticcall.h>

int crc_sw(int x) __attribute__((static_call));

int __attribute__((noinline)) crc_sw(int x)
{
	return x + 1;
}

int main(int argc, char **argv)
{
	(void)argv;
	return crc_sw(argc) + crc_sw(argc + 1) + crc_sw(argc + 2) == 9 ? 0 : 1;
}
