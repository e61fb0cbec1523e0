/* Part of dlclose-target.c: a dlopen'ed plugin without sites that holds targets and a pushed patch.  */
#include <staticcall.h>

int hook2 (int) __attribute__ ((static_call));
int plug_target (int x) { return x + 500; }
int plug_target2 (int x) { return x + 600; }
int plug_target3 (int x) { return x + 700; }
int plug_target_fp (int x) { return x + 800; }

static struct staticcall_patch patch;

int plug_push (void) { return staticcall_push (&patch, hook2, plug_target2); }
