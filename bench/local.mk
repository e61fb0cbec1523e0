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

# The text writer against the floor in a program of real size: `make
# bench-writer` generates bench/writer-text.c (bench/gen-text.sh: > 10 MB
# of text, 205 keys), builds bench/staticcall-bench-writer with the plugin
# and libstaticcall.so (as pkg-config links a program) and runs it: a
# table of medians (bench/writer.c; doc/runtime.md, "Text writers").
%reldir%/writer-text.c: $(srcdir)/%reldir%/gen-text.sh
	@$(MKDIR_P) %reldir%
	$(AM_V_GEN)$(SHELL) $(srcdir)/%reldir%/gen-text.sh > $@
%reldir%/writer-text.o: %reldir%/writer-text.c $(srcdir)/%reldir%/writer.h \
		plugin/staticcall.so
	$(AM_V_CC)$(CC) $(SC_BENCH_CFLAGS) -I$(srcdir)/%reldir% -c -o $@ $<
%reldir%/writer.o: $(srcdir)/%reldir%/writer.c $(srcdir)/%reldir%/writer.h \
		$(top_srcdir)/include/staticcall.h \
		$(top_srcdir)/include/staticcall/writer.h plugin/staticcall.so
	@$(MKDIR_P) %reldir%
	$(AM_V_CC)$(CC) $(SC_BENCH_CFLAGS) -I$(srcdir)/%reldir% \
		-c -o $@ $(srcdir)/%reldir%/writer.c
%reldir%/staticcall-bench-writer: %reldir%/writer.o %reldir%/writer-text.o \
		runtime/staticcall-object.o libstaticcall.la
	$(AM_V_CCLD)$(CC) -o $@ %reldir%/writer.o %reldir%/writer-text.o \
		runtime/staticcall-object.o $(SC_STARTUP_LIBS)
bench-writer: %reldir%/staticcall-bench-writer %reldir%/many-objects
	./%reldir%/staticcall-bench-writer
	cd %reldir% && LD_LIBRARY_PATH=.:../.libs ./many-objects --table
.PHONY: bench-writer
CLEANFILES += %reldir%/writer.o %reldir%/writer-text.c %reldir%/writer-text.o \
	%reldir%/staticcall-bench-writer
EXTRA_DIST += %reldir%/writer.c %reldir%/writer.h %reldir%/gen-text.sh
# Start-up: `make bench-startup` builds the programs of
# bench/gen-startup.sh (10^3, 10^4, 10^5 sites, with and without the
# plugin) and bench/many-objects (a key in 300 shared objects), then
# bench/startup.c runs each as separate processes and prints medians.
SC_STARTUP_SIZES = 1000 10000 100000
SC_STARTUP_RUNS = 51
SC_STARTUP_LIBS = -L.libs -Wl,-rpath,$(abs_top_builddir)/.libs -lstaticcall -lpthread
%reldir%/startup-%.c: $(srcdir)/%reldir%/gen-startup.sh
	@$(MKDIR_P) %reldir%
	$(AM_V_GEN)$(SHELL) $(srcdir)/%reldir%/gen-startup.sh $* > $@
%reldir%/startup-%-noplugin: %reldir%/startup-%.c
	$(AM_V_CCLD)$(CC) -O2 -I$(top_srcdir)/include -o $@ $<
%reldir%/startup-%: %reldir%/startup-%.c runtime/staticcall-object.o \
		libstaticcall.la plugin/staticcall.so
	$(AM_V_CCLD)$(CC) $(SC_BENCH_CFLAGS) -o $@ $< runtime/staticcall-object.o \
		.libs/libstaticcall.a -lpthread
%reldir%/many-lib.o: $(srcdir)/%reldir%/many-lib.c plugin/staticcall.so
	@$(MKDIR_P) %reldir%
	$(AM_V_CC)$(CC) $(SC_BENCH_CFLAGS) -fPIC -c -o $@ $<
%reldir%/many-objects: $(srcdir)/%reldir%/many-objects.c %reldir%/many-lib.o \
		runtime/staticcall-object.o libstaticcall.la plugin/staticcall.so
	@$(MKDIR_P) %reldir%
	$(AM_V_CCLD)i=0; while [ $$i -lt 300 ]; do \
	  $(CC) -shared -o %reldir%/libmany$$i.so %reldir%/many-lib.o \
	    runtime/staticcall-object.o $(SC_STARTUP_LIBS) || exit 1; \
	  i=$$((i + 1)); done
	$(AM_V_CCLD)$(CC) $(SC_BENCH_CFLAGS) -rdynamic -o $@ \
		$(srcdir)/%reldir%/many-objects.c runtime/staticcall-object.o \
		$(SC_STARTUP_LIBS) -ldl
%reldir%/staticcall-startup: $(srcdir)/%reldir%/startup.c
	@$(MKDIR_P) %reldir%
	$(AM_V_CCLD)$(CC) -O2 $(WARN_CFLAGS) -o $@ $<
bench-startup: %reldir%/staticcall-startup %reldir%/many-objects \
		$(SC_STARTUP_SIZES:%=%reldir%/startup-%) \
		$(SC_STARTUP_SIZES:%=%reldir%/startup-%-noplugin)
	./%reldir%/staticcall-startup %reldir% $(SC_STARTUP_RUNS)
.PHONY: bench-startup
CLEANFILES += %reldir%/staticcall-startup %reldir%/many-objects \
	%reldir%/many-lib.o %reldir%/libmany*.so \
	$(SC_STARTUP_SIZES:%=%reldir%/startup-%.c) \
	$(SC_STARTUP_SIZES:%=%reldir%/startup-%) \
	$(SC_STARTUP_SIZES:%=%reldir%/startup-%-noplugin)
EXTRA_DIST += %reldir%/startup.c %reldir%/gen-startup.sh \
	%reldir%/many-objects.c %reldir%/many-lib.c
