/* Key records: one 64-byte record per key used in the unit, as abi.h
   says; a public key's record is COMDAT (one per link unit), a static
   key's is local; flags say void and function-pointer keys.  */
/* { dg-do compile } */

int pub(int) __attribute__((static_call));
void vpub(void) __attribute__((static_call));
static int loc(int) __attribute__((static_call));
static int loc(int x) { return x + 1; }
static void t(void) { }
static void (*fp)(void) __attribute__((static_call)) = t;

__attribute__((noinline)) int use(int x)
{
	vpub();
	fp();
	return pub(x) + pub(x + 1) + loc(x);
}

/* { dg-final { scan-assembler-times {\.pushsection staticcall_keys,"awG",%progbits,__staticcall_key\.pub,comdat\n\t\.globl __staticcall_key\.pub\n\t\.hidden __staticcall_key\.pub\n\t\.balign 8\n\t\.type __staticcall_key\.pub, %object\n\t\.size __staticcall_key\.pub, 64\n__staticcall_key\.pub:\n\t\.long 0x4b435353\n\t\.short 1, 0\n\t\.long \.Lsckeyname[0-9]+ - \.\n\t\.long 0\n\t\.quad pub\n\t\.quad pub\n\t\.quad 0, 0, 0, 0\n\t\.section \.rodata\.staticcall_names,"aG",%progbits,__staticcall_key\.pub,comdat\n\.Lsckeyname[0-9]+:\n\t\.string "pub"\n\t\.popsection\n} 1 } } */
/* { dg-final { scan-assembler-times {__staticcall_key\.vpub:\n\t\.long 0x4b435353\n\t\.short 1, 2\n} 1 } } */
/* { dg-final { scan-assembler-times {\.pushsection staticcall_keys,"aw",%progbits\n\t\.balign 8\n\t\.type (__staticcall_key\.loc\.[0-9]+), %object\n\t\.size \1, 64\n\1:\n\t\.long 0x4b435353\n\t\.short 1, 0\n\t\.long \.Lsckeyname[0-9]+ - \.\n\t\.long 0\n\t\.quad loc\n\t\.quad loc\n} 1 } } */
/* { dg-final { scan-assembler-times {__staticcall_key\.fp\.[0-9]+:\n\t\.long 0x4b435353\n\t\.short 1, 3\n\t\.long \.Lsckeyname[0-9]+ - \.\n\t\.long 0\n\t\.quad fp\n\t\.quad t\n} 1 } } */
/* { dg-final { scan-assembler-not {\.globl __staticcall_key\.loc} } } */
/* { dg-final { scan-assembler-times {\n__staticcall_key\.[a-z.0-9]+:\n} 4 } } */
