/*
 * gcc-common.h - every GCC header the staticcall plugin needs, in the order
 * GCC wants them (gcc-plugin.h first), and every GCC-version shim.  Nothing
 * else in plugin/ includes a GCC header or tests GCC_VERSION.
 *
 * The plugin is built against the *target* compiler's plugin headers
 * ($(GCC_PLUGIN_DIR)/include), so the same source yields one staticcall.so
 * per target compiler.  Never include an autoconf config.h here: its
 * PACKAGE_* macros clash with GCC's auto-host.h.
 */
#ifndef STATICCALL_GCC_COMMON_H
#define STATICCALL_GCC_COMMON_H

#include "gcc-plugin.h"
/* A static definition (gcc_version): only plugin_init's file wants it. */
#ifdef SC_PLUGIN_INIT_FILE
#include "plugin-version.h"
#endif
#include "config.h"
#include "system.h"
#include "coretypes.h"
#include "backend.h"
#include "tree.h"
#include "gimple.h"
#include "rtl.h"
#include "memmodel.h"
#include "tm_p.h"
#include "stringpool.h"
#include "attribs.h"
#include "cgraph.h"
#include "diagnostic-core.h"
#include "tree-pass.h"
#include "context.h"
#include "gimple-iterator.h"
#include "gimple-ssa.h"
#include "emit-rtl.h"
#include "rtl-iter.h"
#include "output.h"
#include "target.h"
#include "toplev.h"
#include "stor-layout.h"
#include "fold-const.h"
#include "varasm.h"
#include "cpplib.h"
#include "calls.h"

#if BUILDING_GCC_VERSION < 11000 || BUILDING_GCC_VERSION >= 13000
#error "staticcall's plugin is written for GCC 11 and 12"
#endif

/* GCC 12 added startswith() to system.h. */
#if BUILDING_GCC_VERSION < 12000
static inline bool startswith(const char *str, const char *prefix)
{
	return strncmp(str, prefix, strlen(prefix)) == 0;
}
#endif

/*
 * The C and C++ front ends own the preprocessor (c-family/c-pragma.h);
 * lto1 has neither, yet loads the same plugin at link time.  Weak
 * references let one staticcall.so load into cc1, cc1plus and lto1.
 */
extern struct cpp_reader *parse_in __attribute__((weak));
extern void cpp_define(cpp_reader *, const char *) __attribute__((weak));
extern cpp_options *cpp_get_options(cpp_reader *) __attribute__((weak));
extern int cpp_defined(cpp_reader *, const unsigned char *, int)
	__attribute__((weak));

/* Root marker of a tree for ggc_register_root_tab (front-end specific). */
#define sc_gt_ggc_mx_tree	gt_ggc_mx_tree_node
#define sc_gt_pch_nx_tree	gt_pch_nx_tree_node

#endif /* STATICCALL_GCC_COMMON_H */
