dnl SC_TOOL_FOR_BUILD: staticcall-tool runs on the build machine (it reads
dnl the ELF files of every target), so it is built by $CC_FOR_BUILD with the
dnl build machine's libelf (elfutils), not by the target compiler $CC.
AC_DEFUN([SC_TOOL_FOR_BUILD], [
  AC_ARG_VAR([CC_FOR_BUILD], [C compiler of the build machine, builds staticcall-tool])
  AC_ARG_VAR([CFLAGS_FOR_BUILD], [C flags for CC_FOR_BUILD])
  AC_ARG_ENABLE([tool],
    [AS_HELP_STRING([--disable-tool], [do not build staticcall-tool (needs libelf)])],
    [], [enable_tool=yes])
  if test "$cross_compiling" = no; then
    : ${CC_FOR_BUILD:=$CC}
  else
    : ${CC_FOR_BUILD:=gcc}
  fi
  : ${CFLAGS_FOR_BUILD:=-g -O2}
  LIBELF_FOR_BUILD=-lelf
  if test "$enable_tool" = yes; then
    AC_MSG_CHECKING([whether $CC_FOR_BUILD can build staticcall-tool with libelf])
    cat > conftest-tool.c <<_SCEOF
#include <gelf.h>
int main(void) { return elf_version(EV_CURRENT) == EV_NONE; }
_SCEOF
    if $CC_FOR_BUILD $CFLAGS_FOR_BUILD conftest-tool.c -o conftest-tool$ac_exeext \
	 $LIBELF_FOR_BUILD >&AS_MESSAGE_LOG_FD 2>&1; then
      AC_MSG_RESULT([yes])
    else
      AC_MSG_RESULT([no])
      AC_MSG_ERROR([$CC_FOR_BUILD cannot compile and link against libelf (gelf.h, -lelf); install the build machine's libelf-dev (elfutils), or configure with --disable-tool])
    fi
    rm -f conftest-tool.c conftest-tool$ac_exeext
  fi
  AC_SUBST([LIBELF_FOR_BUILD])
  AM_CONDITIONAL([BUILD_TOOL], [test "$enable_tool" = yes])
])
