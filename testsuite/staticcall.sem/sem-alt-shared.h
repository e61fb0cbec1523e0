/* sem-alt-shared.h: per-CPU instruction strings for sem-alt-shared.c and its
   library: SEQ(n) sets the return register to n; FN defines a function.  */
#include <staticcall/alt.h>

#if defined(__x86_64__)
# define SEQ(n)	"movl $" #n ", %eax"
# define RET	"ret"
# if defined(__CET__) && (__CET__ & 1)
#  define ENTRY	"endbr64\n\t"
# else
#  define ENTRY	""
# endif
#elif defined(__aarch64__)
# define SEQ(n)	"mov w0, #" #n
# define RET	"ret"
# define ENTRY	"hint 34\n\t"
#elif defined(__powerpc64__)
# define SEQ(n)	"li 3, " #n
# define RET	"blr"
# define ENTRY	""
#endif

#define FN(name, body)							\
	".globl " name "\n\t.type " name ", @function\n\t.p2align 4\n"	\
	name ":\n\t" ENTRY body RET "\n\t.size " name ", .-" name "\n\t"

int lib_alt(void);
int lib_alt_calls(void);
