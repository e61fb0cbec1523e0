/* main.c - scripts/repro's program: runs the pipeline with the default
   targets, retargets every key, runs it again, prints both checksums. */
#include <stdio.h>
#include "repro.h"

uint32_t mix(uint32_t h, uint32_t v) { return (h ^ v) * 16777619u; }
uint32_t mix_fast(uint32_t h, uint32_t v) { return (h + v) * 2654435761u; }
static uint32_t fold_slow(uint32_t h) { return h ^ (h >> 15); }
static uint32_t fold_fast(uint32_t h) { return h ^ (h >> 13); }
static uint32_t (*fold)(uint32_t) __attribute__((static_call)) = fold_slow;

static uint32_t run(const uint8_t *p, size_t n)
{
	uint32_t h = stage_a(p, n) ^ stage_b(p, n);

	h = mix(h, fold(h));
	h = stage_linux(h);
	return stage_cxx(h);
}

int main(void)
{
	uint8_t buf[256];
	uint32_t before, after;

	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 1);
	before = run(buf, sizeof(buf));
	if (staticcall_update(mix, mix_fast) || staticcall_update(fold, fold_fast) ||
	    select_a() || select_b() || select_linux() || select_cxx())
		return 1;
	after = run(buf, sizeof(buf));
	printf("%08x %08x\n", (unsigned)before, (unsigned)after);
	return before == after;
}
