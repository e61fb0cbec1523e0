/* stage-b.c - sites of static function keys (their internal names must not
   make the object differ between two compilations) and tail sites. */
#include "repro.h"

static uint32_t rot(uint32_t h, uint32_t v) __attribute__((static_call));
static uint32_t rot(uint32_t h, uint32_t v) { return (h << 5 | h >> 27) ^ v; }
static uint32_t rot_other(uint32_t h, uint32_t v) { return (h << 7 | h >> 25) + v; }
static uint32_t last(uint32_t h) __attribute__((static_call));
static uint32_t last(uint32_t h) { return h * 3; }
static uint32_t last_other(uint32_t h) { return h * 5; }

int select_b(void)
{
	return staticcall_update(rot, rot_other) || staticcall_update(last, last_other);
}

__attribute__((noinline)) static uint32_t tail(uint32_t h) { return last(h); }

uint32_t stage_b(const uint8_t *p, size_t n)
{
	uint32_t h = 1;

	for (size_t off = 0; off + 32 <= n; off += 32) {
		REPRO_SITES16(h, rot, p + off);
		h = mix(h, rot(h, 1));
		REPRO_SITES16(h, rot, p + off + 16);
	}
	return tail(h);
}
