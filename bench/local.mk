# Benchmark: `make bench` builds bench/staticcall-bench with the
# plugin and runs it (a program printing a table, not a timed test);
# `make bench-callgrind` adds instruction counts (bench/run-callgrind.sh).
SC_BENCH_CFLAGS = -O2 $(WARN_CFLAGS) -I$(top_srcdir)/include \
	-fplugin=$(abs_top_builddir)/plugin/staticcall.so
sc_bench_objs = %reldir%/bench.o
if ARCH_X86_64
sc_bench_objs += %reldir%/retpoline.o
endif

%reldir%/bench.o: $(srcdir)/%reldir%/bench.c plugin/staticcall.so \
		$(top_srcdir)/include/staticcall.h
	@$(MKDIR_P) %reldir%
	$(AM_V_CC)$(CC) $(SC_BENCH_CFLAGS) -c -o $@ $(srcdir)/%reldir%/bench.c
%reldir%/retpoline.o: $(srcdir)/%reldir%/retpoline.c
	@$(MKDIR_P) %reldir%
	$(AM_V_CC)$(CC) -O2 $(WARN_CFLAGS) -mindirect-branch=thunk \
		-c -o $@ $(srcdir)/%reldir%/retpoline.c
%reldir%/staticcall-bench: $(sc_bench_objs) runtime/staticcall-object.o \
		libstaticcall.la
	$(AM_V_CCLD)$(CC) -o $@ $(sc_bench_objs) runtime/staticcall-object.o \
		.libs/libstaticcall.a -lpthread

bench: %reldir%/staticcall-bench
	./%reldir%/staticcall-bench
bench-callgrind: %reldir%/staticcall-bench
	$(SHELL) $(srcdir)/%reldir%/run-callgrind.sh ./%reldir%/staticcall-bench
.PHONY: bench bench-callgrind
CLEANFILES += %reldir%/bench.o %reldir%/retpoline.o %reldir%/staticcall-bench
EXTRA_DIST += %reldir%/bench.c %reldir%/retpoline.c %reldir%/run-callgrind.sh

# The text writers against the floor: `make bench-writer` builds and runs
# bench/staticcall-bench-writer (bench/writer.c; doc/runtime.md, "Text
# writers").  No plugin needed: its sites are synthetic.
%reldir%/writer.o: $(srcdir)/%reldir%/writer.c \
		$(top_srcdir)/include/staticcall.h \
		$(top_srcdir)/include/staticcall/writer.h
	@$(MKDIR_P) %reldir%
	$(AM_V_CC)$(CC) -O2 $(WARN_CFLAGS) -I$(top_srcdir)/include \
		-c -o $@ $(srcdir)/%reldir%/writer.c
%reldir%/staticcall-bench-writer: %reldir%/writer.o libstaticcall.la
	$(AM_V_CCLD)$(CC) -o $@ %reldir%/writer.o .libs/libstaticcall.a -lpthread
bench-writer: %reldir%/staticcall-bench-writer
	./%reldir%/staticcall-bench-writer
.PHONY: bench-writer
CLEANFILES += %reldir%/writer.o %reldir%/staticcall-bench-writer
EXTRA_DIST += %reldir%/writer.c
