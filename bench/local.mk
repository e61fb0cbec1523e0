# Benchmarks: see issue 4.
