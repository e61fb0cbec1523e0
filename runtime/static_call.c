/*
 * runtime/static_call.c - the one function behind the Linux static_call API
 * layer (include/staticcall/linux.h): retarget a name's key and its pointer.
 *
 * A name has two halves that must agree: the sites of the function key
 * __SCT__name (units built with the plugin) and the pointer __SCK__name
 * (the trampoline and units built without the plugin jump through it).
 * Both change under the updater lock, so the last updater to patch the
 * sites is also the last one to write the pointer.  Freestanding.
 */
#include <errno.h>
#include <stdint.h>

#include "staticcall/linux.h"
#include "internal.h"

int staticcall_linux_update(void *tramp, void **ptr, void *func)
{
	void *fn = func ? func : (void *)(uintptr_t)staticcall_nop_target;
	int err;

	sc_lock();
	/* both halves change before this returns; meanwhile calls reach
	 * the old target or the new one */
	err = sc_key_update(tramp, func, STATICCALL_KIND_NULL_CALL);
	if (err == -ENOENT)
		/* no unit built with the plugin calls it, or only a refused
		 * object's: its sites stay behind, never 0 then */
		err = sc_key_left_behind(tramp, NULL);
	if (!err)
		__atomic_store_n(ptr, fn, __ATOMIC_RELEASE);
	sc_unlock();
	return err;
}
