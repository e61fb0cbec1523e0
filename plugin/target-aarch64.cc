/*
 * target-aarch64.cc - the aarch64 site: `bl f` / `b f`, one 4-byte
 * instruction the runtime may rewrite while it runs (Arm ARM concurrent
 * modification rule); a target beyond +-128 MB goes through a veneer the
 * runtime builds.  Nothing to align, no pass of its own.
 */
#include "staticcall-plugin.h"

const struct sc_target_info sc_target = {
	/* symbol_suffix */	"",
	/* site_prefix */	"",
	/* global_calls */	false,
	/* tail_alias */	false,
	/* not_direct_reason */
	"the compiler did not emit it as a direct call",
	/* toc_restore_macro */	NULL,
	/* linux_toc_save */	NULL,
	/* linux_module_far */	false,
};

unsigned sc_target_site_flags(void)
{
	return 0;
}

void sc_target_init(const char *)
{
}
