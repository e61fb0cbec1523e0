# staticcall-tool: lists, verifies and generates site tables in
# the ELF files of every target, so it is a build-machine program: built by
# $(CC_FOR_BUILD) against the build machine's libelf with a custom rule (like
# the plugin with $(CXX_FOR_BUILD)), never by the target compiler $(CC).
# Every build tree, native or cross, has tools/staticcall-tool runnable here;
# it is installed as $(bindir)/staticcall-tool.  Documentation: doc/tool.md.

tools_sources = %reldir%/staticcall-tool.c %reldir%/scelf.c \
	%reldir%/scdecode.c %reldir%/scverify.c %reldir%/sclist.c \
	%reldir%/scgen.c
tools_headers = %reldir%/scelf.h $(top_srcdir)/include/staticcall/abi.h \
	$(top_srcdir)/include/staticcall/arch.h $(top_srcdir)/arch/insn32.h \
	$(top_srcdir)/arch/le.h \
	$(top_srcdir)/arch/x86_64/insn.h $(top_srcdir)/arch/aarch64/insn.h \
	$(top_srcdir)/arch/powerpc64/insn.h
EXTRA_DIST += $(tools_sources) %reldir%/scelf.h %reldir%/fuzz

# gdb support (the default writer's parks do not stop the program):
# `gdb -x "$(pkg-config --variable=gdbscript staticcall)"`, doc/use.texi.
scgdbdir = $(datadir)/staticcall
dist_scgdb_DATA = %reldir%/staticcall-gdb.py

if BUILD_TOOL
scbindir = $(bindir)
scbin_SCRIPTS = %reldir%/staticcall-tool
CLEANFILES += %reldir%/staticcall-tool

%reldir%/staticcall-tool: $(tools_sources) $(tools_headers)
	@$(MKDIR_P) $(@D)
	$(AM_V_CCLD)$(CC_FOR_BUILD) $(WARN_CFLAGS) $(CFLAGS_FOR_BUILD) \
		-I$(top_srcdir)/include \
		-DPACKAGE_VERSION='"$(PACKAGE_VERSION)"' \
		-o $@ $(filter %.c,$^) $(LIBELF_FOR_BUILD)
endif

# Fuzzing the parser (not part of `all`): `make fuzz-tool` builds the
# libFuzzer target with clang and runs it for $(FUZZ_SECONDS) seconds over
# a copy of the corpus in $(srcdir)/tools/fuzz/corpus; new inputs land in
# tools/fuzz/new-corpus in the build tree (minimise them before adding).
# `make fuzz-tool-gen` does the same for `gen` (tools/fuzz/fuzz-gen.c).
FUZZ_CC = clang
FUZZ_SECONDS = 300
fuzz_sources = %reldir%/fuzz/fuzz-load.c %reldir%/scelf.c \
	%reldir%/scdecode.c %reldir%/scverify.c %reldir%/sclist.c
%reldir%/fuzz/fuzz-load: $(fuzz_sources) $(tools_headers)
	@$(MKDIR_P) $(@D)
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -I$(top_srcdir)/include \
		-I$(top_srcdir)/tools -o $@ $(filter %.c,$^) $(LIBELF_FOR_BUILD)
fuzz-tool: %reldir%/fuzz/fuzz-load
	@$(MKDIR_P) %reldir%/fuzz/new-corpus
	nice %reldir%/fuzz/fuzz-load -max_total_time=$(FUZZ_SECONDS) \
		-max_len=65536 -timeout=10 -rss_limit_mb=1024 \
		%reldir%/fuzz/new-corpus $(srcdir)/tools/fuzz/corpus
%reldir%/fuzz/fuzz-gen: %reldir%/fuzz/fuzz-gen.c %reldir%/scgen.c \
		$(filter-out %reldir%/fuzz/fuzz-load.c,$(fuzz_sources)) \
		$(tools_headers)
	@$(MKDIR_P) $(@D)
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -I$(top_srcdir)/include \
		-I$(top_srcdir)/tools -o $@ $(filter %.c,$^) $(LIBELF_FOR_BUILD)
# gen over relocatable objects only: the .o files of the corpus.
fuzz-tool-gen: %reldir%/fuzz/fuzz-gen
	@$(MKDIR_P) %reldir%/fuzz/new-corpus-gen
	nice %reldir%/fuzz/fuzz-gen -max_total_time=$(FUZZ_SECONDS) \
		-max_len=65536 -timeout=10 -rss_limit_mb=1024 \
		%reldir%/fuzz/new-corpus-gen $(srcdir)/tools/fuzz/corpus
CLEANFILES += %reldir%/fuzz/fuzz-load %reldir%/fuzz/fuzz-gen
.PHONY: fuzz-tool fuzz-tool-gen
