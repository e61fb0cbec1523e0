/* many-lib.c - one site of the main program's key shared_hook (bench/many-objects.c). */
int shared_hook(int) __attribute__((static_call));
int many_call(int x) { return shared_hook(x); }
