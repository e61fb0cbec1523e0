# Installed headers: the user API and the section format.
nobase_include_HEADERS = %reldir%/staticcall.h %reldir%/staticcall/abi.h
