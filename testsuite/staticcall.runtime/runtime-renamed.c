/* The hosted platform's functions of 0.2, named staticcall_linux_* like
   the Linux static_call layer, are now staticcall_host_*: the old names
   remain, declared deprecated (the warning names the new one), and
   answer as the new ones do.  */
/* { dg-do run } */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <staticcall.h>
#include <staticcall/writer.h>

int key(int x) __attribute__((static_call));
__attribute__((noipa)) int key(int x) { return x + 1; }
__attribute__((noipa)) int key_b(int x) { return x + 2; }
__attribute__((noipa)) int use(int x) { return key(x); }

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

int main(void)
{
	unsigned long rounds;

	staticcall_linux_init();
	if (strcmp(staticcall_linux_writer(), staticcall_host_writer()))
		return 1;
	if (staticcall_linux_writer_set("no such writer") != -EINVAL ||
	    staticcall_linux_writer_set(staticcall_host_writer()))
		return 2;
	if (strcmp(staticcall_linux_sync_method(), staticcall_host_sync_method()))
		return 3;
	rounds = staticcall_linux_sync_rounds();
	if (staticcall_update(key, key_b) || use(1) != 3 ||
	    staticcall_host_sync_rounds() <= rounds ||
	    staticcall_linux_sync_rounds() != staticcall_host_sync_rounds())
		return 4;
	if (staticcall_linux_exiting() || staticcall_host_exiting())
		return 5;
	printf("renamed: writer %s, sync %s, old and new names agree\n",
	       staticcall_host_writer(), staticcall_host_sync_method());
	return staticcall_reset(key) || use(1) != 2 ? 6 : 0;
}
