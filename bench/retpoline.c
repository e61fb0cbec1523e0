/*
 * bench/retpoline.c - the indirect-call loop of staticcall-bench, compiled
 * with -mindirect-branch=thunk so each call goes through a retpoline.
 */
long loop_retpoline(int (*fn)(int), long n);

__attribute__((noipa)) long loop_retpoline(int (*fn)(int), long n)
{
	long s = 0, i;

	for (i = 0; i < n; i++)
		s += fn((int)i);
	return s;
}
