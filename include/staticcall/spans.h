/*
 * staticcall/spans.h - a set of at most SC_SPANS address ranges that only
 * grows, written by one thread at a time (the updater lock held) and read
 * by signal and trap handlers at any time, without a lock: the int3
 * protocol's "every site it ever wrote int3 at" (arch/x86_64/trap.c) and
 * the nx writer's "every page it ever made non-executable"
 * (runtime/linux/text-park.c).  A handler that finds its address here
 * knows the fault may be ours, however late it runs.
 *
 * A range is [lo, hi).  A slot with hi 0 is empty (no range ends at
 * address 0): a new range is written lo first, then hi, so a reader that
 * sees hi sees lo.  Ranges closer than SC_SPAN_JOIN become one, and when
 * every slot is taken the nearest range widens: a store only ever widens
 * a range, so a reader sees the old range or more.  Freestanding.
 */
#ifndef STATICCALL_SPANS_H
#define STATICCALL_SPANS_H

#include <stdint.h>

#define SC_SPANS	16
#define SC_SPAN_JOIN	((uintptr_t)16 << 20)	/* closer than this: one range */

struct sc_spans {
	uintptr_t lo[SC_SPANS], hi[SC_SPANS];
};

/* [@lo, @hi) joins the set (@lo < @hi; writer side, serialised). */
static inline void sc_spans_add(struct sc_spans *s, uintptr_t lo, uintptr_t hi)
{
	unsigned int i, best = SC_SPANS, empty = SC_SPANS;
	uintptr_t gap, best_gap = UINTPTR_MAX;

	for (i = 0; i < SC_SPANS; i++) {
		uintptr_t l = s->lo[i], h = s->hi[i];

		if (!h) {
			if (empty == SC_SPANS)
				empty = i;
			continue;
		}
		gap = hi < l ? l - hi : lo > h ? lo - h : 0;
		if (gap < best_gap) {
			best_gap = gap;
			best = i;
		}
	}
	if (best_gap >= SC_SPAN_JOIN && empty < SC_SPANS) {
		/* lo first: a reader takes hi 0 for an empty slot */
		__atomic_store_n(&s->lo[empty], lo, __ATOMIC_RELEASE);
		__atomic_store_n(&s->hi[empty], hi, __ATOMIC_RELEASE);
		return;
	}
	/* widen only: every reader sees the old range or more */
	if (lo < s->lo[best])
		__atomic_store_n(&s->lo[best], lo, __ATOMIC_RELEASE);
	if (hi > s->hi[best])
		__atomic_store_n(&s->hi[best], hi, __ATOMIC_RELEASE);
}

/* 1 when @a lies in a range of the set (any thread, a handler too). */
static inline int sc_spans_has(const struct sc_spans *s, uintptr_t a)
{
	unsigned int i;

	for (i = 0; i < SC_SPANS; i++) {
		uintptr_t hi = __atomic_load_n(&s->hi[i], __ATOMIC_ACQUIRE);

		if (hi && a < hi && a >= __atomic_load_n(&s->lo[i], __ATOMIC_ACQUIRE))
			return 1;
	}
	return 0;
}

#endif /* STATICCALL_SPANS_H */
