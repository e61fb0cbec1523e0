/* gen/calls.c: input of the `gen` tests, compiled WITHOUT the plugin: two
   calls and a tail call to work(), one call to other(). */
int work(int);
int other(int);

int caller(int x)
{
	return work(x) + other(x) + work(x + 1);
}

int tail(int x)
{
	return work(x * 3);
}
