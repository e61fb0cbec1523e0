/*
 * repro.h - the keys of the program scripts/repro builds: a small checksum
 * pipeline in five units with many sites of function keys (public and
 * static), function-pointer keys (each visible in its unit only), Linux API names and C++ template keys.
 */
#include <stddef.h>
#include <stdint.h>
#include <staticcall.h>

#ifdef __cplusplus
extern "C" {
#endif
uint32_t mix(uint32_t h, uint32_t v) __attribute__((static_call));
uint32_t mix_fast(uint32_t h, uint32_t v);

uint32_t stage_a(const uint8_t *p, size_t n);
uint32_t stage_b(const uint8_t *p, size_t n);
uint32_t stage_linux(uint32_t h);
int select_linux(void);
uint32_t stage_cxx(uint32_t h);
int select_cxx(void);
int select_a(void);
int select_b(void);
#ifdef __cplusplus
}
#endif

/* Sixteen sites of KEY in a row (no loop: each call is its own site). */
#define REPRO_SITES4(h, key, p)						\
	((h) = key((h), (p)[0]), (h) = key((h), (p)[1]),		\
	 (h) = key((h), (p)[2]), (h) = key((h), (p)[3]))
#define REPRO_SITES16(h, key, p)					\
	(REPRO_SITES4(h, key, p), REPRO_SITES4(h, key, (p) + 4),	\
	 REPRO_SITES4(h, key, (p) + 8), REPRO_SITES4(h, key, (p) + 12))
