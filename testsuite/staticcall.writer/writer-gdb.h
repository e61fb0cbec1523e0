/* writer-gdb.h - shared by the writer tests that run themselves under gdb
   (writer-gdb.c, writer-gdb-threads.c): the program runs gdb in batch
   mode on itself with a command file, and reads what gdb printed.  */
#ifndef WRITER_GDB_H
#define WRITER_GDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* gdb -batch on @prog with the commands @cmds; its output (and stderr)
   into @out, printed too.  gdb's exit status, or -1.  */
static int
gdb_run (const char *prog, const char *cmds, char *out, size_t size)
{
  char script[] = "/tmp/writer-gdb-XXXXXX", cmd[4096];
  size_t have = 0;
  FILE *f, *p;
  int fd, st;

  fd = mkstemp (script);
  if (fd < 0 || !(f = fdopen (fd, "w")))
    return -1;
  fputs (cmds, f);
  fclose (f);
  snprintf (cmd, sizeof cmd, "gdb -nx -batch -x %s %s 2>&1", script, prog);
  p = popen (cmd, "r");
  if (!p)
    {
      unlink (script);
      return -1;
    }
  while (have < size - 1)
    {
      size_t r = fread (out + have, 1, size - 1 - have, p);

      if (!r)
	break;
      have += r;
    }
  out[have] = 0;
  st = pclose (p);
  unlink (script);
  fputs (out, stdout);
  if (st != 0 || !strstr (out, "gdb") && !strstr (out, "Breakpoint"))
    printf ("gdb exit status %d (is gdb installed?)\n", st);
  return st;
}

/* How many times @what occurs in @out.  */
static int
gdb_count (const char *out, const char *what)
{
  int n = 0;
  const char *p = out;

  while ((p = strstr (p, what)))
    n++, p++;
  return n;
}

#endif /* WRITER_GDB_H */
