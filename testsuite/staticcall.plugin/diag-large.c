/* x86-64 -mcmodel=large loads a site's target into a register: a rel32
   call cannot promise reach, so the call is an error at its line.  */
/* { dg-do compile { target x86_64-*-* } } */
/* { dg-options "-mcmodel=large" } */

int f(int) __attribute__((static_call));

int use(int x)
{
	return f(x) + 1; /* { dg-error "cannot be patched.*-mcmodel=medium" } */
}
