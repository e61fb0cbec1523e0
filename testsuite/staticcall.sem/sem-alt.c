/* Callback patching: a region returning 1 becomes one returning 2 by its
   callback at registration; a callback that keeps the buffer changes
   nothing; each callback runs once and sees the original bytes.  */
/* { dg-do run } */
#include <stdio.h>
#include <string.h>
#include <staticcall/alt.h>

#if defined(__x86_64__)
# define SEQ1	"movl $1, %eax"
# define SEQ2	"movl $2, %eax"
# define RET	"ret"
# if defined(__CET__) && (__CET__ & 1)
#  define ENTRY	"endbr64\n\t"
# else
#  define ENTRY	""
# endif
#elif defined(__aarch64__)
# define SEQ1	"mov w0, #1"
# define SEQ2	"mov w0, #2"
# define RET	"ret"
# define ENTRY	"hint 34\n\t"
#elif defined(__powerpc64__)
# define SEQ1	"li 3, 1"
# define SEQ2	"li 3, 2"
# define RET	"blr"
# define ENTRY	""
#endif

#define FN(name, body)							\
	".globl " name "\n\t.type " name ", @function\n\t.p2align 4\n"	\
	name ":\n\t" ENTRY body RET "\n\t.size " name ", .-" name "\n\t"

__asm__(".pushsection .text\n\t"
	FN("sem_alt_one", STATICCALL_ALT_CB(SEQ1, "sem_pick_two"))
	FN("sem_alt_keep", STATICCALL_ALT_CB(SEQ1, "sem_keep"))
	FN("sem_alt_plain", SEQ1 "\n\t")
	/* the two sequences the callback picks from, as bytes to copy */
	"sem_seq1:\n\t" SEQ1 "\nsem_seq1_end:\n"
	"sem_seq2:\n\t" SEQ2 "\nsem_seq2_end:\n\t"
	".popsection");

int sem_alt_one(void);
int sem_alt_keep(void);
int sem_alt_plain(void);
/* hidden: a PC-relative address (aarch64 ld gets GOT entries of local asm labels wrong) */
extern __attribute__((visibility("hidden"))) const unsigned char
	sem_seq1[], sem_seq1_end[], sem_seq2[], sem_seq2_end[];

static int pick_calls, keep_calls, bad;

static void check(const struct staticcall_alt *region, const void *orig,
		  const void *buf, unsigned int len, void *fn)
{
	unsigned char *at = staticcall_alt_addr(region);

	if (len != (unsigned int)(sem_seq1_end - sem_seq1) ||
	    memcmp(orig, sem_seq1, len) || memcmp(buf, sem_seq1, len) ||
	    at < (unsigned char *)fn || at >= (unsigned char *)fn + 8)
		bad++;
}

__attribute__((used)) void sem_pick_two(const struct staticcall_alt *region,
					  const void *orig, void *buf,
					  unsigned int len)
{
	pick_calls++;
	check(region, orig, buf, len, (void *)sem_alt_one);
	if (len == (unsigned int)(sem_seq2_end - sem_seq2))
		memcpy(buf, sem_seq2, len);
}

__attribute__((used)) void sem_keep(const struct staticcall_alt *region,
				      const void *orig, void *buf,
				      unsigned int len)
{
	keep_calls++;
	check(region, orig, buf, len, (void *)sem_alt_keep);
}

int main(void)
{
	int r1 = sem_alt_one(), r2 = sem_alt_keep(), r3 = sem_alt_plain();

	printf("one %d keep %d plain %d calls %d/%d bad %d\n",
	       r1, r2, r3, pick_calls, keep_calls, bad);
	if (r1 != 2 || r2 != 1 || r3 != 1 || pick_calls != 1 ||
	    keep_calls != 1 || bad)
		return 1;
	/* applying again is a no-op: every record is done */
	if (staticcall_alt_apply(__start_staticcall_alt, __stop_staticcall_alt) ||
	    pick_calls != 1 || keep_calls != 1 || sem_alt_one() != 2)
		return 2;
	return 0;
}
