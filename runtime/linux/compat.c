/*
 * runtime/linux/compat.c - the hosted platform's names of 0.2
 * (staticcall_linux_*, which also named the Linux static_call API of
 * staticcall/linux.h), kept as deprecated aliases of staticcall_host_*
 * for programs and staticcall-object.o files built against them.
 */
#include "staticcall/host.h"
#include "staticcall/writer.h"

void staticcall_linux_init(void)
{
	staticcall_host_init();
}

void staticcall_linux_exit_begins(void)
{
	staticcall_host_exit_begins();
}

int staticcall_linux_exiting(void)
{
	return staticcall_host_exiting();
}

const char *staticcall_linux_sync_method(void)
{
	return staticcall_host_sync_method();
}

unsigned long staticcall_linux_sync_rounds(void)
{
	return staticcall_host_sync_rounds();
}

int staticcall_linux_writer_set(const char *name)
{
	return staticcall_host_writer_set(name);
}

const char *staticcall_linux_writer(void)
{
	return staticcall_host_writer();
}
