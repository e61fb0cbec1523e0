/* staticcall_object_add_deferred: start-up only queues the object; its
   describe hook runs once, at the first touch of any key (on powerpc64,
   where registration may prepare sites, at registration), and at once for
   an object added after a touch.  A hook's error refuses its object
   (status, staticcall_status) and nothing else; adding twice is -EBUSY;
   an object removed before the first touch is never described.  The
   program's own sites, registered the same way by staticcall-object.o,
   follow the update.  */
/* { dg-do run } */

#include <errno.h>
#include <stddef.h>
#include <staticcall.h>
#include <staticcall/abi.h>
#include "../lib/sctest.h"

int hook(int) __attribute__((static_call));
__attribute__((noipa)) int hook(int x) { return x + 1; }
__attribute__((noipa)) int hook2(int x) { return x + 2; }
__attribute__((noipa)) int call(int x) { return hook(x); }

static int described, refused_described, gone_described;
/* an empty table: valid, nothing to index */
static struct staticcall_site_rec empty[1] __attribute__((aligned(8)));

static int describe(struct staticcall_object *obj, struct staticcall_tables *t)
{
	CHECK(obj != NULL && t->sites_start == NULL && t->nranges == 0);
	described++;
	t->sites_start = t->sites_stop = empty;
	return 0;
}

static int describe_bad(struct staticcall_object *obj, struct staticcall_tables *t)
{
	(void)obj;
	(void)t;
	refused_described++;
	return -ENOEXEC;
}

static int describe_gone(struct staticcall_object *obj, struct staticcall_tables *t)
{
	(void)obj;
	(void)t;
	gone_described++;
	return 0;
}

static void quiet(const char *msg) { (void)msg; }

int main(void)
{
	static struct staticcall_object a, bad, gone, late;
#ifdef __powerpc64__
	const int eager = 1;
#else
	const int eager = 0;
#endif

	staticcall_set_log(quiet);
	CHECK(staticcall_object_add_deferred(NULL, describe) == -EINVAL);
	CHECK(staticcall_object_add_deferred(&a, NULL) == -EINVAL);
	CHECK(staticcall_object_add_deferred(&a, describe) == 0);
	CHECK(staticcall_object_add_deferred(&a, describe) == -EBUSY);
	CHECK(described == eager);
	if (eager) {
		CHECK(staticcall_object_add_deferred(&bad, describe_bad) == -ENOEXEC);
		CHECK(refused_described == 1);
	} else {
		CHECK(staticcall_object_add_deferred(&bad, describe_bad) == 0);
		CHECK(refused_described == 0);
	}
	CHECK(staticcall_object_add_deferred(&gone, describe_gone) == 0);
	CHECK(staticcall_object_remove(&gone) == 0);
	CHECK(call(1) == 2);

	/* the first touch: described once each, the refused one out */
	CHECK(staticcall_update(hook, hook2) == 0);
	CHECK(call(1) == 3);
	CHECK(described == 1 && refused_described == 1);
	CHECK(gone_described == eager);
	CHECK(staticcall_object_status(&a) == 0);
	if (!eager) {
		CHECK(staticcall_object_status(&bad) == -ENOEXEC);
		CHECK(staticcall_status() == -ENOEXEC);
		CHECK(staticcall_object_remove(&bad) == -ENOENT);
	}

	/* after a touch: described at once */
	CHECK(staticcall_object_add_deferred(&late, describe) == 0);
	CHECK(described == 2);
	CHECK(staticcall_update(hook, hook) == 0);
	CHECK(call(1) == 2);
	CHECK(described == 2 && refused_described == 1);
	CHECK(staticcall_object_remove(&a) == 0);
	CHECK(staticcall_object_remove(&late) == 0);
	CHECK(staticcall_object_add_deferred(&a, describe) == 0);
	CHECK(described == 3);
	CHECK(staticcall_object_remove(&a) == 0);
	return 0;
}
