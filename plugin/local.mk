# plugin/local.mk - staticcall.so, the GCC plugin.
#
# The plugin runs inside the target compiler but is built by the build
# machine's C++ compiler against the target compiler's plugin headers
# ($(GCC_PLUGIN_DIR)/include), so it is not a libtool library: custom
# rules, no config.h (its PACKAGE_* macros clash with GCC's headers).
# One file per CPU, $(PLUGIN_TARGET).cc, chosen by configure.host.
# Installed as $(libdir)/staticcall/staticcall.so.

SC_PLUGIN_CXXFLAGS = -fPIC -fno-rtti -fno-exceptions -O2 \
	-Wall -Wextra $(filter -Werror,$(WARN_CFLAGS)) \
	-I$(GCC_PLUGIN_DIR)/include -I$(top_srcdir)/include \
	-DSTATICCALL_VERSION='"$(PACKAGE_VERSION)"'

SC_PLUGIN_COMMON = plugin attribs keys refs gimple-pass rtl-pass record
SC_PLUGIN_OBJS = $(patsubst %,%reldir%/%.o,$(SC_PLUGIN_COMMON) $(PLUGIN_TARGET))
SC_PLUGIN_HDRS = $(srcdir)/%reldir%/gcc-common.h \
	$(srcdir)/%reldir%/gcc-pass.h \
	$(srcdir)/%reldir%/staticcall-plugin.h \
	$(top_srcdir)/include/staticcall/abi.h

staticcallplugindir = $(libdir)/staticcall
staticcallplugin_DATA = %reldir%/staticcall.so

%reldir%/%.o: $(srcdir)/%reldir%/%.cc $(SC_PLUGIN_HDRS)
	@$(MKDIR_P) %reldir%
	$(AM_V_GEN)$(CXX_FOR_BUILD) $(SC_PLUGIN_CXXFLAGS) -c $< -o $@

%reldir%/staticcall.so: $(SC_PLUGIN_OBJS)
	$(AM_V_GEN)$(CXX_FOR_BUILD) -shared $(SC_PLUGIN_OBJS) -o $@

CLEANFILES += %reldir%/staticcall.so %reldir%/*.o
EXTRA_DIST += %reldir%/plugin.cc %reldir%/attribs.cc %reldir%/keys.cc \
	%reldir%/refs.cc %reldir%/gimple-pass.cc %reldir%/rtl-pass.cc \
	%reldir%/record.cc %reldir%/target-x86_64.cc \
	%reldir%/target-aarch64.cc %reldir%/target-powerpc64.cc \
	%reldir%/gcc-common.h %reldir%/gcc-pass.h \
	%reldir%/staticcall-plugin.h
