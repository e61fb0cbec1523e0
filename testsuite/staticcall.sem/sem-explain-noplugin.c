/* Without the plugin a function key has no records: its update is -ENOENT and the log says, once, the
   likely cause (no plugin, or no staticcall-object.o), instead of nothing (issue 27, item 3).  */
/* { dg-do run } */
/* { dg-staticcall-noplugin "" } */
#include <errno.h>
#include <string.h>
#include <staticcall.h>
#include "../lib/sctest.h"

/* the key (gcc without the plugin would warn of the attribute it does not know) */
int work (int x) { return x; }
int work_v2 (int x) { return x + 1; }

static char logged[256];
static int nlogs;

static void
catch_log (const char *m)
{
  if (!nlogs++)
    strncpy (logged, m, sizeof logged - 1);
}

int
main (void)
{
  int bad = 0;

  staticcall_set_log (catch_log);
  EXPECT (staticcall_update (work, work_v2) == -ENOENT, bad);
  EXPECT (staticcall_update (work, work_v2) == -ENOENT, bad);
  EXPECT (nlogs == 1, bad);
  EXPECT (strstr (logged, "built without the plugin, or without staticcall-object.o") != NULL, bad);
  if (bad)
    fprintf (stderr, "%d lines logged: '%s'\n", nlogs, logged);
  return bad != 0;
}
