# Installed headers: the user API and the section format, as
# $(includedir)/staticcall.h and $(includedir)/staticcall/abi.h.
include_HEADERS = %reldir%/staticcall.h
staticcallincludedir = $(includedir)/staticcall
staticcallinclude_HEADERS = %reldir%/staticcall/abi.h
