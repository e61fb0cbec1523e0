/* many-lib.c - four sites of the main program's key shared_hook
   (bench/many-objects.c): the shared object of 4 sites.  */
int shared_hook(int) __attribute__((static_call));
int many_call(int x)
{
	x = shared_hook(x);
	x = shared_hook(x) * 3;
	x = shared_hook(x) * 5;
	return shared_hook(x);
}
