/*
 * runtime/varkey.c - pointer keys without sites (code built without the
 * plugin calls through the variable): the variable is the whole key.  It
 * never holds NULL (calls through it would crash): NULL is kept as the
 * empty function and read back as NULL.  The value each variable had
 * before the runtime's first write is remembered for reset.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

#define VAR_KEYS	128
static struct {
	const void *key;
	void *deflt;
} var_defaults[VAR_KEYS];
static int var_defaults_lost;

void sc_var_set(const void *key, void *target)
{
	unsigned int i;

	for (i = 0; i < VAR_KEYS && var_defaults[i].key != key; i++)
		if (!var_defaults[i].key) {
			var_defaults[i].key = key;
			var_defaults[i].deflt = *(void *const *)key;
			break;
		}
	if (i == VAR_KEYS)
		var_defaults_lost = 1;
	__atomic_store_n((void **)(uintptr_t)key,
			 (void *)sc_target_fn((uintptr_t)target), __ATOMIC_RELEASE);
}

void *sc_var_get(const void *key)
{
	void *t = __atomic_load_n((void **)(uintptr_t)key, __ATOMIC_ACQUIRE);

	return t == (void *)(uintptr_t)staticcall_nop_target ? NULL : t;
}

int sc_var_default(const void *key, void **deflt)
{
	unsigned int i;

	for (i = 0; i < VAR_KEYS && var_defaults[i].key != key; i++)
		;
	if (i < VAR_KEYS) {
		*deflt = var_defaults[i].deflt;
		return 0;
	}
	return var_defaults_lost ? -ENOSPC : -ENOENT;
}
