dnl SC_GCC_PLUGIN: find the target compiler's plugin headers and the build
dnl machine's C++ compiler that will build staticcall.so against them.
AC_DEFUN([SC_GCC_PLUGIN], [
  AC_ARG_VAR([CXX_FOR_BUILD], [C++ compiler of the build machine, builds the plugin])
  : ${CXX_FOR_BUILD:=g++}
  AC_MSG_CHECKING([for the plugin headers of $CC])
  GCC_PLUGIN_DIR=`$CC -print-file-name=plugin 2>/dev/null`
  AC_MSG_RESULT([$GCC_PLUGIN_DIR])
  dnl GCC 11 and 12 are supported; the package named is the compiler's own.
  sc_gcc_major=`$CC -dumpversion 2>/dev/null | sed 's/\..*//'`
  case "$sc_gcc_major" in
    11|12) ;;
    *) AC_MSG_ERROR([$CC is GCC ${sc_gcc_major:-unknown}; staticcall's plugin supports GCC 11 and 12]) ;;
  esac
  case "$host" in
    "$build") sc_plugin_pkg="gcc-$sc_gcc_major-plugin-dev" ;;
    *) sc_plugin_pkg="gcc-$sc_gcc_major-plugin-dev-$host_alias" ;;
  esac
  if test ! -f "$GCC_PLUGIN_DIR/include/gcc-plugin.h"; then
    AC_MSG_ERROR([$CC has no plugin headers in '$GCC_PLUGIN_DIR/include'; install the Debian package $sc_plugin_pkg])
  fi
  AC_MSG_CHECKING([whether $CXX_FOR_BUILD can build a plugin for $CC])
  cat > conftest-plugin.cc <<_SCEOF
#include "gcc-plugin.h"
#include "plugin-version.h"
int plugin_is_GPL_compatible;
int plugin_init (struct plugin_name_args *, struct plugin_gcc_version *v)
{ return plugin_default_version_check (v, &gcc_version) ? 0 : 1; }
_SCEOF
  if $CXX_FOR_BUILD -shared -fPIC -fno-rtti -I"$GCC_PLUGIN_DIR/include" \
       conftest-plugin.cc -o conftest-plugin.so >&AS_MESSAGE_LOG_FD 2>&1 &&
     echo 'int x;' | $CC -fplugin=./conftest-plugin.so -x c -c - -o conftest-plugin.o >&AS_MESSAGE_LOG_FD 2>&1; then
    AC_MSG_RESULT([yes])
  else
    AC_MSG_RESULT([no])
    AC_MSG_ERROR([cannot build a GCC plugin for $CC with $CXX_FOR_BUILD; install g++ and $sc_plugin_pkg])
  fi
  rm -f conftest-plugin.cc conftest-plugin.so conftest-plugin.o
  AC_SUBST([GCC_PLUGIN_DIR])
])
