# DejaGnu testsuite: see issue 2.
