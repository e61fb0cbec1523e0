/* Syncs per batch: retargeting 8 keys one by one costs 8 rounds of core
   synchronisation, as one batch 1 round; the batch takes effect for all
   keys, and so does the batch back.  Counted by the platform's sync hook.  */
/* { dg-do run } */
#include <stdio.h>
#include <staticcall.h>
#include <staticcall/host.h>

#define KEYS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)
#define DEF(i)								\
	int k##i(int x) __attribute__((static_call));			\
	__attribute__((noipa)) int k##i(int x) { return x + i; }	\
	__attribute__((noipa)) static int t##i(int x) { return x * 100 + i; } \
	__attribute__((noipa)) static int c##i(int x) { return k##i(x); }
KEYS(DEF)

static int sum(int x)
{
	int s = 0;
#define ADD(i) s += c##i(x);
	KEYS(ADD)
	return s;
}

int main(void)
{
	struct staticcall_retarget to[] = {
#define TO(i) STATICCALL_RETARGET(k##i, t##i),
		KEYS(TO)
	}, back[] = {
#define BACK(i) STATICCALL_RETARGET(k##i, k##i),
		KEYS(BACK)
	};
	unsigned long r0, single, batch, batch_back;

	if (sum(1) != 8 + 28)
		return 1;
	r0 = staticcall_host_sync_rounds();
#define UPD(i) if (staticcall_update(k##i, t##i)) return 2;
	KEYS(UPD)
	single = staticcall_host_sync_rounds() - r0;
	if (sum(1) != 800 + 28)
		return 3;
#define RST(i) if (staticcall_reset(k##i)) return 4;
	KEYS(RST)
	if (sum(1) != 8 + 28)
		return 5;
	r0 = staticcall_host_sync_rounds();
	if (staticcall_update_batch(to, 8))
		return 6;
	batch = staticcall_host_sync_rounds() - r0;
	if (sum(1) != 800 + 28)
		return 7;
	r0 = staticcall_host_sync_rounds();
	if (staticcall_update_batch(back, 8))
		return 8;
	batch_back = staticcall_host_sync_rounds() - r0;
	if (sum(1) != 8 + 28)
		return 9;
	printf("8 keys: %lu syncs one by one, %lu per batch (%lu back)\n",
	       single, batch, batch_back);
	return single != 8 || batch != 1 || batch_back != 1;
}
