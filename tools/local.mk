# staticcall-tool: see issue 9.
