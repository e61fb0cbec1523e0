/* static_call goes on functions and on function-pointer variables with
   static storage, static_call_global on functions; anything else is an
   error at the declaration.  */
/* { dg-do compile } */

int v __attribute__((static_call)); /* { dg-error "applies only to functions and to function-pointer variables" } */
int w __attribute__((static_call_global)); /* { dg-error "applies only to functions" } */

int use(int x)
{
	int (*local)(int) __attribute__((static_call)) = 0; /* { dg-error "applies only to functions and to function-pointer variables" } */
	return local ? local(x) : x;
}
