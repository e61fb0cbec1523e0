/* An update that cannot do what was meant says why, once: a function no loaded object defines or calls
   is -ENOENT with the likely cause; a key defined here with no site loaded yet is kept, and said so
   (issue 27, item 3).  */
/* { dg-do run } */
#include <errno.h>
#include <string.h>
#include <staticcall.h>
#include "../lib/sctest.h"

/* a key defined here, never called: known by its definition record */
int lonely (int) __attribute__ ((static_call));
int lonely (int x) { return x; }
int lonely_v2 (int x) { return x + 1; }
/* not a key */
int plain (int x) { return x; }
int plain_v2 (int x) { return x + 2; }

static char logged[4][256];
static int nlogs;

static void
catch_log (const char *m)
{
  if (nlogs < 4)
    strncpy (logged[nlogs], m, sizeof logged[0] - 1);
  nlogs++;
}

int
main (void)
{
  int bad = 0;

  staticcall_set_log (catch_log);
  EXPECT (staticcall_update (plain, plain_v2) == -ENOENT, bad);
  EXPECT (staticcall_update (plain, plain_v2) == -ENOENT, bad);
  EXPECT (staticcall_update (lonely, lonely_v2) == 0, bad);
  EXPECT (staticcall_query (lonely) == lonely_v2, bad);
  EXPECT (staticcall_reset (lonely) == 0, bad);
  EXPECT (staticcall_update (lonely, lonely_v2) == 0, bad);
  EXPECT (nlogs == 2, bad);
  EXPECT (strstr (logged[0], "no loaded object defines it or calls it") != NULL, bad);
  EXPECT (strstr (logged[1], "key lonely: no loaded object calls it yet") != NULL, bad);
  if (bad)
    fprintf (stderr, "%d lines logged: '%s' '%s'\n", nlogs, logged[0], logged[1]);
  return bad != 0;
}
