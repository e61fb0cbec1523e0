/* gen/main.c: links with the gen'd calls.o natively; the program must
   still compute the same results (gen adds tables, changes no code). */
#include <stdio.h>

int caller(int);
int tail(int);

int work(int x)
{
	return x * 2;
}

int other(int x)
{
	return x + 100;
}

int main(void)
{
	printf("%d %d\n", caller(5), tail(7));
	return 0;
}
