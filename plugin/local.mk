# Plugin: see issue 3 (built by $(CXX_FOR_BUILD) against $(GCC_PLUGIN_DIR)).
