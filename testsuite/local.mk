# DejaGnu testsuite: `make check` runs
#   runtest --tool staticcall --srcdir $(srcdir)/testsuite --outdir testsuite
# from the top build directory.  site.exp gets the paths of the build products
# from testsuite/site-extra.exp (made by configure from site-extra.exp.in).
# Results: testsuite/staticcall.sum and testsuite/staticcall.log.
AUTOMAKE_OPTIONS = dejagnu
DEJATOOL = staticcall
# automake passes --srcdir $(srcdir) first; the later --srcdir wins.
AM_RUNTESTFLAGS = --srcdir $(srcdir)/testsuite --outdir testsuite
EXTRA_DEJAGNU_SITE_CONFIG = testsuite/site-extra.exp
EXTRA_DIST += testsuite
CLEANFILES += testsuite/staticcall.sum testsuite/staticcall.log
clean-local: clean-testsuite-work
clean-testsuite-work:
	-rm -rf testsuite/work
.PHONY: clean-testsuite-work
