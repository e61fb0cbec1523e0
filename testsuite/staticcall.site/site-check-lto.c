/* The site checks of site-check.c on a program built with -flto (plugin at
   compile and link time: sites come from the LTRANS units), function
   sections and --gc-sections (the site table must survive).  */
/* { dg-do run } */
/* { dg-options "-flto -ffunction-sections -Wl,--gc-sections" } */
#include "site-check.c"
