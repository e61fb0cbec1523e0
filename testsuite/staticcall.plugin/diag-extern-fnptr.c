/* A call through a static_call function pointer whose static initializer
   is not visible cannot be made a direct call: an error at the call.  */
/* { dg-do compile } */

extern int (*op)(int) __attribute__((static_call));

int use(int x)
{
	return op(x) + 1; /* { dg-error "static initializer of the variable \\(a function\\) is not visible" } */
}
