# doc/local.mk - the manual and the manual pages.
#
# doc/staticcall.texi (with the chapters it @includes) is the one source:
# make builds doc/staticcall.info (in the source tree, distributed, so a
# tarball needs no makeinfo) and doc/html/staticcall.html (one file, also
# distributed); make install installs both and the manual pages, which
# configure makes from doc/*.in (the version comes from AC_INIT).
info_TEXINFOS = %reldir%/staticcall.texi
%canon_reldir%_staticcall_TEXINFOS = %reldir%/overview.texi \
	%reldir%/install.texi %reldir%/plugin.texi %reldir%/api.texi \
	%reldir%/sites.texi %reldir%/use.texi %reldir%/baremetal.texi \
	%reldir%/linux.texi \
	%reldir%/tool.texi %reldir%/builds.texi %reldir%/tree.texi \
	%reldir%/notes.texi
# The HTML manual: one file built in the source tree and distributed,
# like the info file (automake's own `make html` puts it in the build
# tree, where a tarball build would need makeinfo to remake it).
sc_html = $(srcdir)/%reldir%/html/staticcall.html
$(sc_html): $(srcdir)/%reldir%/staticcall.texi $(%canon_reldir%_staticcall_TEXINFOS) \
		$(srcdir)/%reldir%/version.texi
	@$(MKDIR_P) $(srcdir)/%reldir%/html
	$(AM_V_GEN)$(MAKEINFOHTML) --no-split -I $(srcdir)/%reldir% \
		-o $@ $(srcdir)/%reldir%/staticcall.texi
all-local: $(sc_html)
install-data-local: $(sc_html)
	$(MKDIR_P) "$(DESTDIR)$(htmldir)"
	$(INSTALL_DATA) $(sc_html) "$(DESTDIR)$(htmldir)/staticcall.html"
uninstall-local:
	rm -f "$(DESTDIR)$(htmldir)/staticcall.html"
EXTRA_DIST += %reldir%/html/staticcall.html
# The markdown notes, which point into the manual.
EXTRA_DIST += %reldir%/arch-aarch64.md %reldir%/arch-powerpc64.md \
	%reldir%/arch-x86_64.md %reldir%/baremetal.md %reldir%/house.md \
	%reldir%/internals.md %reldir%/objects.md %reldir%/plugin.md \
	%reldir%/runtime.md %reldir%/semantics.md %reldir%/tool.md

# staticcall(7) names installed files: made at make time, when $(libdir)
# and $(includedir) expand to paths (configure would leave
# ${exec_prefix} in them).
%reldir%/staticcall.7: %reldir%/staticcall.7.in Makefile
	@$(MKDIR_P) %reldir%
	$(AM_V_GEN)sed -e 's|@libdir[@]|$(libdir)|g' \
		-e 's|@includedir[@]|$(includedir)|g' \
		-e 's|@PACKAGE_VERSION[@]|$(PACKAGE_VERSION)|g' \
		$(srcdir)/%reldir%/staticcall.7.in > $@
CLEANFILES += %reldir%/staticcall.7
EXTRA_DIST += %reldir%/staticcall.7.in

# staticcall_update.3 documents the whole API; the other names are links.
nodist_man_MANS = %reldir%/staticcall.7 %reldir%/staticcall-tool.1 \
	%reldir%/staticcall_update.3
dist_man_MANS = %reldir%/staticcall_reset.3 %reldir%/staticcall_query.3 \
	%reldir%/staticcall_update_null.3 %reldir%/staticcall_update_ret0.3 \
	%reldir%/staticcall_push.3 %reldir%/staticcall_pop.3 \
	%reldir%/staticcall_update_batch.3 %reldir%/staticcall_set_log.3 \
	%reldir%/staticcall_object_add_tables.3 \
	%reldir%/staticcall_object_add_deferred.3 \
	%reldir%/staticcall_object_add.3 %reldir%/staticcall_object_add_toc.3 \
	%reldir%/staticcall_object_remove.3 %reldir%/staticcall_object_status.3 \
	%reldir%/staticcall_status.3 %reldir%/staticcall_unload_range.3 \
	%reldir%/staticcall_host_writer_set.3 \
	%reldir%/staticcall_linux_writer_set.3 \
	%reldir%/DEFINE_STATIC_CALL.3 %reldir%/static_call_update.3
MAINTAINERCLEANFILES = $(sc_html)
