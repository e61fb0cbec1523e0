/* trap-keys/many.h: the 640 callers of key fd (w000 .. w977), each a tail
   call after d + 1 bytes of nops (d, the last digit, 0 to 7): half of the
   sites cross an 8-byte word, more than one batch of the trap protocol
   (SC_TRAP_BATCH, include/staticcall/arch.h).  The includer defines
   W(p, d) for the caller w<p><d>. */
#define W8(p) W(p, 0) W(p, 1) W(p, 2) W(p, 3) W(p, 4) W(p, 5) W(p, 6) W(p, 7)
#define W64(p) W8(p##0) W8(p##1) W8(p##2) W8(p##3) W8(p##4) W8(p##5) \
	W8(p##6) W8(p##7)
#define W640 W64(0) W64(1) W64(2) W64(3) W64(4) W64(5) W64(6) W64(7) \
	W64(8) W64(9)
#define MANY 640
