/* Library half of sem-alt-shared.c: a callback region applied by the
   library's own constructor (its own staticcall_alt section).  */
#include <string.h>
#include "sem-alt-shared.h"

__asm__(".pushsection .text\n\t"
	FN("lib_alt", STATICCALL_ALT_CB(SEQ(3), "sem_lib_cb"))
	"sem_lib_seq:\n\t" SEQ(4) "\nsem_lib_seq_end:\n\t"
	".popsection");
extern __attribute__((visibility("hidden"))) const unsigned char
	sem_lib_seq[], sem_lib_seq_end[];

static int calls;

__attribute__((used, visibility("hidden")))
void sem_lib_cb(const struct staticcall_alt *region, const void *orig,
		void *buf, unsigned int len)
{
	(void)region;
	(void)orig;
	calls++;
	if (len == (unsigned int)(sem_lib_seq_end - sem_lib_seq))
		memcpy(buf, sem_lib_seq, len);
}

int lib_alt_calls(void)
{
	return calls;
}
