/* system-init.c - /init of the system lane's initramfs
   (testsuite/staticcall.system/system.exp): runs the test programs listed
   in /tests under the target's own Linux kernel, booted by qemu-system
   with 2 CPUs, and powers the machine off.  Why a kernel: qemu-user does
   not see text stores made through a second mapping, so the default text
   writer can only be run end to end on aarch64 and powerpc64le here.

   /tests: lines "timeout SECONDS" (per test), "env NAME=VALUE" (for
   every test, at most 8) and "cpu N" (run the tests on CPU N alone, the
   kernel on all), then one line per test, "ID DIR LIBPATH
   PROGRAM" (LIBPATH "-" for none).  Each program runs in DIR with
   LD_LIBRARY_PATH=LIBPATH, those variables and no STATICCALL_WRITER, in
   its own process group, stdout and stderr on the console.  Lines on the
   console, each written by one write():
     staticcall-system: boot kernel REL cpus N membarrier 0xMASK
     staticcall-system: begin ID
     staticcall-system: result ID exit N | signal N | timeout N, SECONDS s
     staticcall-system: done N
   Built static by system.exp with the target's compiler.  */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/membarrier.h>

/* One console line, one write (the kernel may print between lines).  */
static void
say (const char *fmt, ...)
{
  char line[512];
  va_list ap;
  int n;

  memcpy (line, "staticcall-system: ", 19);
  va_start (ap, fmt);
  n = vsnprintf (line + 19, sizeof (line) - 20, fmt, ap);
  va_end (ap);
  if (n < 0)
    return;
  n += 19;
  if (n > (int) sizeof (line) - 2)
    n = (int) sizeof (line) - 2;
  line[n++] = '\n';
  if (write (1, line, (size_t) n) < 0)
    return;
}

static void
power_off (void)
{
  sync ();
  reboot (RB_POWER_OFF);
  say ("power off failed: errno %d", errno);
  for (;;)
    pause ();
}

/* stdin, stdout and stderr on the console: the kernel opens it before
   running /init when the initramfs has /dev/console; else devtmpfs has.  */
static void
console (void)
{
  int fd;

  mkdir ("/dev", 0755);
  if (fcntl (1, F_GETFD) < 0)
    mount ("devtmpfs", "/dev", "devtmpfs", 0, NULL);
  fd = open ("/dev/console", O_RDWR);
  if (fd < 0)
    power_off ();
  dup2 (fd, 0);
  dup2 (fd, 1);
  dup2 (fd, 2);
  if (fd > 2)
    close (fd);
}

static void
mounts (void)
{
  static const struct { const char *type, *dir; } m[] = {
    { "proc", "/proc" }, { "sysfs", "/sys" },
    { "devtmpfs", "/dev" }, { "tmpfs", "/dev/shm" }, { "tmpfs", "/tmp" },
  };
  unsigned int i;

  for (i = 0; i < sizeof (m) / sizeof (m[0]); i++)
    {
      mkdir (m[i].dir, 0755);
      if (mount (m[i].type, m[i].dir, m[i].type, 0, NULL) && errno != EBUSY)
	say ("mount %s on %s: errno %d", m[i].type, m[i].dir, errno);
    }
}

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The environment of every test: PATH, HOME, LD_LIBRARY_PATH, the env
   lines of /tests, NULL.  */
static char *envp[3 + 8 + 1] = { (char *) "PATH=/bin", (char *) "HOME=/" };
static int nenv = 2;
/* The CPU the tests run on, or -1: all.  */
static int pin = -1;

/* Run one test; say its result.  SIGCHLD is blocked (sigtimedwait).  */
static void
run (const char *id, const char *dir, const char *libpath, char *prog,
     int limit)
{
  static char env_lib[4096];
  char *argv[] = { prog, NULL };
  sigset_t chld;
  double start;
  pid_t pid;
  int status;

  snprintf (env_lib, sizeof (env_lib), "LD_LIBRARY_PATH=%s", libpath);
  envp[nenv] = strcmp (libpath, "-") ? env_lib : NULL;
  envp[nenv + 1] = NULL;
  sigemptyset (&chld);
  sigaddset (&chld, SIGCHLD);
  say ("begin %s", id);
  pid = fork ();
  if (pid < 0)
    {
      say ("result %s error fork errno %d", id, errno);
      return;
    }
  if (pid == 0)
    {
      sigprocmask (SIG_UNBLOCK, &chld, NULL);
      setpgid (0, 0);
      if (pin >= 0)
	{
	  cpu_set_t set;

	  CPU_ZERO (&set);
	  CPU_SET (pin, &set);
	  if (sched_setaffinity (0, sizeof (set), &set))
	    _exit (125);
	}
      if (chdir (dir))
	_exit (126);
      execve (prog, argv, envp);
      dprintf (2, "%s: exec: %s\n", prog, strerror (errno));
      _exit (127);
    }
  setpgid (pid, pid);
  start = now ();
  for (;;)
    {
      double left = limit - (now () - start);
      struct timespec ts;
      pid_t w = waitpid (pid, &status, WNOHANG);

      if (w == pid)
	break;
      if (left <= 0)
	{
	  kill (-pid, SIGKILL);
	  waitpid (pid, &status, 0);
	  say ("result %s timeout %d, %.1f s", id, limit, now () - start);
	  goto reap;
	}
      ts.tv_sec = (time_t) left;
      ts.tv_nsec = (long) ((left - (double) ts.tv_sec) * 1e9);
      sigtimedwait (&chld, NULL, &ts);
    }
  if (WIFEXITED (status))
    say ("result %s exit %d, %.1f s", id, WEXITSTATUS (status), now () - start);
  else
    say ("result %s signal %d, %.1f s", id, WTERMSIG (status), now () - start);
reap:
  /* What the test left behind (forked children) goes with it.  */
  kill (-pid, SIGKILL);
  while (waitpid (-1, NULL, WNOHANG) > 0)
    ;
}

int
main (void)
{
  static char line[8192];
  struct utsname u;
  sigset_t chld;
  FILE *f;
  long mask;
  int limit = 120, n = 0;

  console ();
  mounts ();
  uname (&u);
  mask = syscall (__NR_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
  say ("boot kernel %s cpus %ld membarrier 0x%lx", u.release,
       sysconf (_SC_NPROCESSORS_ONLN), mask);
  sigemptyset (&chld);
  sigaddset (&chld, SIGCHLD);
  sigprocmask (SIG_BLOCK, &chld, NULL);
  f = fopen ("/tests", "r");
  if (!f)
    {
      say ("no /tests: errno %d", errno);
      power_off ();
    }
  while (fgets (line, sizeof (line), f))
    {
      char *id, *dir, *libpath, *prog, *save;

      if (sscanf (line, "timeout %d", &limit) == 1)
	continue;
      if (sscanf (line, "cpu %d", &pin) == 1)
	{
	  say ("tests on CPU %d alone", pin);
	  continue;
	}
      if (!strncmp (line, "env ", 4))
	{
	  if (nenv < 2 + 8)
	    {
	      line[strcspn (line, "\n")] = 0;
	      envp[nenv++] = strdup (line + 4);
	      say ("%s", line);
	    }
	  continue;
	}
      id = strtok_r (line, " \n", &save);
      dir = strtok_r (NULL, " \n", &save);
      libpath = strtok_r (NULL, " \n", &save);
      prog = strtok_r (NULL, " \n", &save);
      if (!id || !dir || !libpath || !prog)
	continue;
      run (id, dir, libpath, prog, limit);
      n++;
    }
  fclose (f);
  say ("done %d", n);
  power_off ();
  return 0;
}
