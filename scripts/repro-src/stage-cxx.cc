// stage-cxx.cc - C++ keys: class template members (COMDAT key records whose
// group names are the mangled keys) and a static member key.
#include "repro.h"

template <typename T> struct step {
	static T apply(T h) __attribute__((static_call));
};
template <typename T> T step<T>::apply(T h) { return h * 31 + 7; }
static uint32_t apply_other(uint32_t h) { return h * 37 + 11; }
static uint64_t apply_other64(uint64_t h) { return h * 41 + 13; }

struct hooks {
	static uint32_t finish(uint32_t h) __attribute__((static_call));
};
uint32_t hooks::finish(uint32_t h) { return h ^ 0xffu; }
static uint32_t finish_other(uint32_t h) { return h ^ 0xf0u; }

extern "C" int select_cxx(void)
{
	return staticcall_update(step<uint32_t>::apply, apply_other) ||
	       staticcall_update(step<uint64_t>::apply, apply_other64) ||
	       staticcall_update(hooks::finish, finish_other);
}

extern "C" uint32_t stage_cxx(uint32_t h)
{
	uint64_t w = h;

	for (int i = 0; i < 16; i++) {
		h = step<uint32_t>::apply(h);
		w = step<uint64_t>::apply(w + h);
	}
	return hooks::finish(h ^ (uint32_t)(w >> 32));
}
