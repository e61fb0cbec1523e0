/* keys=all adds no warning the plain build does not have: an allocator of a malloc(dealloc) pair made
   a site is still paired with its deallocator, a key or not (issue 27, item 10: Lua's fopen/fclose).  */
/* { dg-do compile } */
/* { dg-options "-O2 -Wall" } */
/* { dg-staticcall-plugin-options "-fplugin-arg-staticcall-keys=all" } */
#include <stdlib.h>

void myfree (void *);
__attribute__ ((malloc (myfree, 1))) void *myalloc (int);

void f (void) { void *p = myalloc (3); myfree (p); } /* { dg-bogus "mismatched" } */

/* the same pair, the deallocator first made a site */
void release (void *);
__attribute__ ((malloc (release, 1))) void *acquire (int);
void g (void *q) { release (q); void *p = acquire (3); release (p); } /* { dg-bogus "mismatched" } */

/* a real mismatch is still one */
void h (void) { void *p = myalloc (3); free (p); } /* { dg-warning "mismatched allocation function" } */
/* { dg-message "returned from" "" { target *-*-* } 19 } */
