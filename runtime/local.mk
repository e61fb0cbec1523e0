# Runtime: freestanding core + arch back end + hosted Linux platform
# (doc/house.md maps the files).
#
#   libstaticcall.la          core + arch/$(ARCH) + runtime/linux (so + a)
#   libstaticcall-core.a      core + arch alone, no libc (kernels, boot code)
#   runtime/staticcall-object.o  per-object registration constructor, -fPIC
#
# The core is compiled freestanding everywhere: GCC must not turn loops into
# memcpy/memset calls nor add stack-protector references.
SC_FREESTANDING_CFLAGS = -ffreestanding -fno-builtin -fno-stack-protector \
	-fno-tree-loop-distribute-patterns
if ARCH_AARCH64
# inline LSE/LL-SC atomics: libgcc's outline helpers need getauxval (libc)
SC_FREESTANDING_CFLAGS += -mno-outline-atomics
endif

sc_core_sources = %reldir%/glue.c %reldir%/table.c %reldir%/objects.c \
	%reldir%/veneer.c %reldir%/write.c %reldir%/key.c %reldir%/varkey.c \
	%reldir%/stack.c %reldir%/unload.c %reldir%/log.c \
	%reldir%/static_call.c %reldir%/alt.c %reldir%/internal.h
sc_arch_sources =
if ARCH_X86_64
sc_arch_sources += arch/x86_64/site.c arch/x86_64/trap.c arch/x86_64/insn.h \
	arch/notoc.c
endif
if ARCH_AARCH64
sc_arch_sources += arch/aarch64/site.c arch/aarch64/insn.h arch/notrap.c \
	arch/notoc.c
# Inline LL/SC or LSE atomics: libgcc's outline atomics (the GCC 12 default
# on Debian) initialise themselves with getauxval, which a kernel lacks.
SC_FREESTANDING_CFLAGS += -mno-outline-atomics
endif
if ARCH_POWERPC64
sc_arch_sources += arch/powerpc64/site.c arch/powerpc64/insn.h \
	arch/powerpc64/toc.h arch/notrap.c
endif

lib_LTLIBRARIES += libstaticcall.la
libstaticcall_la_SOURCES = $(sc_core_sources) $(sc_arch_sources) \
	%reldir%/linux/platform.c %reldir%/linux/text.c \
	%reldir%/linux/text-nx.c %reldir%/linux/text-own.c \
	%reldir%/linux/text-park.c %reldir%/linux/text-procmem.c \
	%reldir%/linux/text-rwx.c %reldir%/linux/text.h \
	%reldir%/linux/compat.c
# runtime/linux/ includes the CPU's hostcpu.h (arch/<cpu>/hostcpu.h)
libstaticcall_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/arch/$(ARCH)
# -fno-plt: a call the runtime makes into libc while the nx writer holds
# text non-executable must not go through a PLT stub in the program's
# text (runtime/linux/text-nx.c)
libstaticcall_la_CFLAGS = $(AM_CFLAGS) $(SC_FREESTANDING_CFLAGS) -fno-plt
libstaticcall_la_LIBADD = -lpthread
# Only the API is exported: the runtime's internal calls are direct
# (an update makes several per site) and nothing outside can interpose.
libstaticcall_la_LDFLAGS = -export-symbols-regex '^(staticcall_|__static_call_return0$$)'


# In libstaticcall.a the runtime's code is one section, staticcall_text: a
# program linked with it statically has the bounds in __start_/
# __stop_staticcall_text, and the nx text writer never makes those pages
# non-executable (runtime/linux/text-nx.c).  libstaticcall.so needs no
# bounds: it is a mapping of its own, without sites.
all-local: %reldir%/libstaticcall-text.stamp
%reldir%/libstaticcall-text.stamp: libstaticcall.la
	@$(MKDIR_P) %reldir%
	$(AM_V_GEN)if test -f .libs/libstaticcall.a; then \
		$(OBJCOPY) --rename-section .text=staticcall_text \
			.libs/libstaticcall.a || exit 1; \
	fi; touch $@
CLEANFILES += %reldir%/libstaticcall-text.stamp

lib_LIBRARIES = libstaticcall-core.a
libstaticcall_core_a_SOURCES = $(sc_core_sources) $(sc_arch_sources)
libstaticcall_core_a_CFLAGS = $(AM_CFLAGS) $(SC_FREESTANDING_CFLAGS) -fPIC

staticcallinclude_HEADERS += include/staticcall/platform.h \
	include/staticcall/host.h include/staticcall/log.h \
	include/staticcall/writer.h
EXTRA_DIST += %reldir%/linux/object.c %reldir%/check-freestanding.sh \
	arch/insn32.h arch/le.h arch/x86_64/insn.h arch/aarch64/insn.h \
	arch/powerpc64/insn.h arch/powerpc64/toc.h arch/x86_64/hostcpu.h \
	arch/aarch64/hostcpu.h arch/powerpc64/hostcpu.h

# The registration constructor: one plain object file, installed beside the
# plugin and named by pkg-config's Libs.
staticcallobjdir = $(libdir)/staticcall
staticcallobj_DATA = %reldir%/staticcall-object.o
CLEANFILES += %reldir%/staticcall-object.o
%reldir%/staticcall-object.o: $(srcdir)/%reldir%/linux/object.c \
		$(top_srcdir)/include/staticcall.h \
		$(top_srcdir)/include/staticcall/abi.h \
		$(top_srcdir)/include/staticcall/host.h \
		$(top_srcdir)/include/staticcall/log.h \
		$(top_srcdir)/arch/$(ARCH)/hostcpu.h
	@$(MKDIR_P) %reldir%
	$(AM_V_CC)$(COMPILE) -I$(top_srcdir)/arch/$(ARCH) -fPIC -c -o $@ \
		$(srcdir)/%reldir%/linux/object.c

# The freestanding proof: link the core with -nostdlib and list what is
# still undefined (must be nothing outside libgcc).
check-freestanding: libstaticcall-core.a
	$(SHELL) $(srcdir)/%reldir%/check-freestanding.sh "$(CC)" \
		"$(top_srcdir)" libstaticcall-core.a
.PHONY: check-freestanding
check-local: check-freestanding
