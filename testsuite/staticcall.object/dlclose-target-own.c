/* Part of dlclose-target.c: a dlopen'ed library with a key of its own (sites only here) and a patch of it stored here.  */
#include <staticcall.h>

static int own (int) __attribute__ ((static_call));
static int own (int x) { return x + 1; }
static int own_alt (int x) { return x + 2; }
static struct staticcall_patch own_patch;

__attribute__ ((noinline)) int own_call (int x) { return own (x); }
int own_push (void) { return staticcall_push (&own_patch, own, own_alt); }

static void own_log (const char *msg) { (void) msg; }
void own_set_log (void) { staticcall_set_log (own_log); }
