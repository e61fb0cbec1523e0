/* Shared-library half of arch-aarch64-shared.c: a replacement for a program
   key, and a site of a library key that the program retargets. */
static volatile int lib_bias = 200;

__attribute__((noinline)) int lib_fix(int x)
{
	return x + lib_bias;
}

__attribute__((static_call, noinline)) int lib_key(int x);
__attribute__((noinline)) int lib_key(int x)
{
	return x + lib_bias + 100;
}

__attribute__((noinline)) int lib_call(int x)
{
	return lib_key(x) + lib_bias - 200;
}
