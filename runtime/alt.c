/*
 * runtime/alt.c - callback patching (include/staticcall/alt.h): give each
 * recorded region to its callback once, write back what it computed.
 *
 * Freestanding: the region's bytes are copied to two stack buffers of
 * STATICCALL_ALT_MAX bytes (original, result), nothing is allocated; the
 * text is written through the core (text window + publish), and every core
 * is synchronised once per call of staticcall_alt_apply() that wrote.
 */
#include <errno.h>
#include <stdint.h>

#include "staticcall.h"
#define STATICCALL_ALT_NO_CONSTRUCTOR	/* the library applies no regions of its own */
#include "staticcall/alt.h"
#include "staticcall/log.h"
#include "internal.h"

int staticcall_alt_apply(struct staticcall_alt *start,
			 struct staticcall_alt *stop)
{
	unsigned char orig[STATICCALL_ALT_MAX], buf[STATICCALL_ALT_MAX];
	struct staticcall_alt *a;
	int err = 0, wrote = 0;

	for (a = start; a < stop; a++) {
		const unsigned char *at = staticcall_alt_addr(a);
		staticcall_alt_fn cb = (staticcall_alt_fn)(uintptr_t)a->callback;
		unsigned int i, len = a->len, same = 1;
		int e;

		if (__atomic_load_n(&a->flags, __ATOMIC_ACQUIRE) &
		    STATICCALL_ALT_DONE)
			continue;
		if (len > STATICCALL_ALT_MAX || !cb) {
			staticcall_log("staticcall: callback region %p of %u bytes refused (at most %u, callback %p)",
				       (void *)at, len, STATICCALL_ALT_MAX,
				       (void *)(uintptr_t)a->callback);
			if (!err)
				err = -E2BIG;
			continue;
		}
		for (i = 0; i < len; i++)
			orig[i] = buf[i] = at[i];
		cb(a, orig, buf, len);
		for (i = 0; i < len; i++)
			same &= buf[i] == at[i];
		e = same ? 0 : sc_core_text_write((uintptr_t)at, buf, len);
		if (e) {
			if (!err)
				err = e;
			continue;
		}
		wrote |= !same;
		__atomic_store_n(&a->flags, a->flags | STATICCALL_ALT_DONE,
				 __ATOMIC_RELEASE);
	}
	if (wrote)
		sc_core_sync();
	return err;
}
