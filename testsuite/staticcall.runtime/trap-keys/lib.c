/* trap-keys/lib.c: compiled WITHOUT the plugin; `staticcall-tool gen
   --keys=fa,fb,fc,fd` gives it its sites, none aligned.  Caller N has N + 1 bytes
   of nops before its calls, so over the eight of each kind the sites of
   every key lie at every offset of an 8-byte word: half of them cross one
   and change through the trap protocol. */
#define NOIPA __attribute__((noipa))

NOIPA long fa(long x) { return x + 1; }
NOIPA long fa2(long x) { return x + 2; }
NOIPA long fb(long x) { return x + 10; }
NOIPA long fb2(long x) { return x + 20; }
NOIPA long fc(long x) { return x + 100; }
NOIPA long fc2(long x) { return x + 200; }
NOIPA long fd(long x) { return x + 1000; }
NOIPA long fd2(long x) { return x + 2000; }

/* u: calls fa and fb; v: fa, fb and fc; t: a tail jump to fb. */
#define CALLERS(n)							\
	NOIPA long u##n(long x)						\
	{								\
		__asm__ volatile(".skip " #n " + 1, 0x90");			\
		return fa(x) * 3 + fb(x);				\
	}								\
	NOIPA long v##n(long x)						\
	{								\
		__asm__ volatile(".skip " #n " + 1, 0x90");			\
		return fa(x) * 3 + fb(x) + fc(x);			\
	}								\
	NOIPA long t##n(long x)						\
	{								\
		__asm__ volatile(".skip " #n " + 1, 0x90");			\
		return fb(x);						\
	}

CALLERS(0) CALLERS(1) CALLERS(2) CALLERS(3)
CALLERS(4) CALLERS(5) CALLERS(6) CALLERS(7)

/* w000 .. w977: 640 tail calls to fd (many.h). */
#include "many.h"
#define W(p, d)								\
	NOIPA long w##p##d(long x)					\
	{								\
		__asm__ volatile(".skip " #d " + 1, 0x90");		\
		return fd(x);						\
	}
W640
