/* Callback patching in a program and its shared library: each object's
   regions are applied once by its own constructor (3 -> 4 in the library,
   5 -> 6 in the program), neither touches the other's.  */
/* { dg-do run } */
/* { dg-staticcall-shared "sem-alt-shared-lib.c" semalt } */
#include <stdio.h>
#include <string.h>
#include "sem-alt-shared.h"

__asm__(".pushsection .text\n\t"
	FN("prog_alt", STATICCALL_ALT_CB(SEQ(5), "sem_prog_cb"))
	"sem_prog_seq:\n\t" SEQ(6) "\nsem_prog_seq_end:\n\t"
	".popsection");
extern __attribute__((visibility("hidden"))) const unsigned char
	sem_prog_seq[], sem_prog_seq_end[];
int prog_alt(void);

static int calls;

__attribute__((used)) void sem_prog_cb(const struct staticcall_alt *region,
					 const void *orig, void *buf,
					 unsigned int len)
{
	(void)region;
	(void)orig;
	calls++;
	if (len == (unsigned int)(sem_prog_seq_end - sem_prog_seq))
		memcpy(buf, sem_prog_seq, len);
}

int main(void)
{
	int p = prog_alt(), l = lib_alt();

	printf("program %d (%d call) library %d (%d call)\n", p, calls, l,
	       lib_alt_calls());
	return p != 6 || l != 4 || calls != 1 || lib_alt_calls() != 1;
}
