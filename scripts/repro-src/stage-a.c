/* stage-a.c - sites of a public function key and a pointer key. */
#include "repro.h"

static uint32_t fold_a(uint32_t h) { return h ^ (h >> 11); }
static uint32_t fold_b(uint32_t h) { return h ^ (h >> 9); }
static uint32_t (*fold)(uint32_t) __attribute__((static_call)) = fold_a;

int select_a(void)
{
	return staticcall_update(fold, fold_b);
}

uint32_t stage_a(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t off = 0; off + 64 <= n; off += 64) {
		REPRO_SITES16(h, mix, p + off);
		REPRO_SITES16(h, mix, p + off + 16);
		h = fold(h);
		REPRO_SITES16(h, mix, p + off + 32);
		h = fold(h) + mix(h, 1) + mix(h, 2) + mix(h, 3);
		REPRO_SITES16(h, mix, p + off + 48);
	}
	return fold(h);
}
