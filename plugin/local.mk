# plugin/local.mk - staticcall.so, the GCC plugin (issue 3).
#
# The plugin runs inside the target compiler but is built by the build
# machine's C++ compiler against the target compiler's plugin headers
# ($(GCC_PLUGIN_DIR)/include), so it is not a libtool library: a custom
# rule, no config.h (its PACKAGE_* macros clash with GCC's headers).
# Installed as $(libdir)/staticcall/staticcall.so.

if ARCH_X86_64
SC_PLUGIN_TARGET = X86_64
endif
if ARCH_AARCH64
SC_PLUGIN_TARGET = AARCH64
endif
if ARCH_POWERPC64
SC_PLUGIN_TARGET = POWERPC64
endif

SC_PLUGIN_CXXFLAGS = -shared -fPIC -fno-rtti -fno-exceptions -O2 \
	-Wall -Wextra $(filter -Werror,$(WARN_CFLAGS)) \
	-I$(GCC_PLUGIN_DIR)/include -I$(top_srcdir)/include \
	-DSTATICCALL_VERSION='"$(PACKAGE_VERSION)"' \
	-DSTATICCALL_TARGET_$(SC_PLUGIN_TARGET)

staticcallplugindir = $(libdir)/staticcall
staticcallplugin_DATA = %reldir%/staticcall.so

%reldir%/staticcall.so: $(srcdir)/%reldir%/staticcall.cc \
		$(srcdir)/%reldir%/gcc-common.h \
		$(top_srcdir)/include/staticcall/abi.h
	@$(MKDIR_P) %reldir%
	$(AM_V_GEN)$(CXX_FOR_BUILD) $(SC_PLUGIN_CXXFLAGS) \
		$(srcdir)/%reldir%/staticcall.cc -o $@

CLEANFILES += %reldir%/staticcall.so
EXTRA_DIST += %reldir%/staticcall.cc %reldir%/gcc-common.h
