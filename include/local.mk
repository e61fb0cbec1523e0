# Installed headers: the user API and the section format, as
# $(includedir)/staticcall.h and $(includedir)/staticcall/abi.h.
include_HEADERS = %reldir%/staticcall.h
staticcallincludedir = $(includedir)/staticcall
staticcallinclude_HEADERS = %reldir%/staticcall/abi.h \
	%reldir%/staticcall/linux.h %reldir%/staticcall/alt.h
# The CPU back-end contract and the handlers' span sets: internal,
# shipped in the tarball only.
EXTRA_DIST += %reldir%/staticcall/arch.h %reldir%/staticcall/spans.h
