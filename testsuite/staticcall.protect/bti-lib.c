/*
 * bti-lib.c - the far targets of bti-guard.c, in a shared object dlopen'ed
 * out of the program's direct reach.  Built twice by bti.exp: with
 * -mbranch-protection=standard (marked BTI: the loader maps its text
 * guarded) and with -mbranch-protection=none (unmarked: not guarded).
 */

/* A leaf: GCC starts it with "bti c".  */
long far_bti (long x) { return x + 10; }

__attribute__ ((noinline)) long far_helper (long x) { return x * 2; }

/* Saves the link register: GCC starts it with "paciasp" (an implicit
   landing pad for a branch through x16).  */
long far_pac (long x) { return far_helper (x) + 20; }

/* No landing pad: assembly without "bti c", as a hand-written routine or
   code built without the flag would be.  */
__asm__ (".text\n"
	 ".globl far_nopad\n"
	 ".type far_nopad, %function\n"
	 ".p2align 2\n"
	 "far_nopad:\n"
	 "	add x0, x0, #30\n"
	 "	ret\n"
	 ".size far_nopad, .-far_nopad\n");
