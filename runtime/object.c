/*
 * runtime/object.c - staticcall-object.o: registers the object it is linked
 * into (executable or shared object) before main() or before dlopen()
 * returns, and removes it at exit or dlclose().
 *
 * The linker defines __start_/__stop_staticcall_sites for the output that
 * holds this file; they are hidden so each object sees its own table.  An
 * empty staticcall_sites section here makes them exist even in an object
 * without sites.  Built -fPIC; linked into every object by pkg-config Libs.
 */
#include <stddef.h>

#include "staticcall.h"
#include "staticcall/abi.h"
#include "staticcall/platform.h"

__asm__(".pushsection " STATICCALL_SITES_SECTION_STR ",\"awR\",@progbits\n\t"
	".balign 8\n\t"
	".popsection");

extern struct staticcall_site_rec __start_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));
extern struct staticcall_site_rec __stop_staticcall_sites[]
	__attribute__((weak, visibility("hidden")));

static struct staticcall_object this_object;
static int registered;

__attribute__((constructor(101)))
static void staticcall_object_register(void)
{
	int err;

	if ((void *)__start_staticcall_sites == (void *)__stop_staticcall_sites)
		return;
	staticcall_linux_init();
	err = staticcall_object_add(&this_object, __start_staticcall_sites,
				    __stop_staticcall_sites);
	if (err)
		staticcall_log("staticcall: object with sites at %p not registered (error %d): its calls keep their default targets",
			       (void *)__start_staticcall_sites, err);
	else
		registered = 1;
}

__attribute__((destructor(101)))
static void staticcall_object_unregister(void)
{
	if (registered)
		staticcall_object_remove(&this_object);
	registered = 0;
}
