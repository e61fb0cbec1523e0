/* stage-linux.c - the Linux API: DEFINE_STATIC_CALL, _NULL, static_call. */
#include <staticcall/linux.h>
#include "repro.h"

static uint32_t lx_add(uint32_t h) { return h + 0x9e3779b9u; }
static uint32_t lx_xor(uint32_t h) { return h ^ 0x85ebca6bu; }
static void lx_note(uint32_t *h) { *h += 1; }

DEFINE_STATIC_CALL(lx_step, lx_add);
DEFINE_STATIC_CALL_NULL(lx_hook, lx_note);

int select_linux(void)
{
	return static_call_update(lx_step, lx_xor) ||
	       static_call_update(lx_hook, lx_note);
}

uint32_t stage_linux(uint32_t h)
{
	for (int i = 0; i < 8; i++) {
		h = static_call(lx_step)(h);
		static_call_cond(lx_hook)(&h);
		h = static_call(lx_step)(h) * 3;
	}
	return h;
}
