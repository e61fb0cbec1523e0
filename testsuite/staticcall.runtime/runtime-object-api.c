/* The freestanding object API on a synthetic object: 5,000 sites of 50 keys
   in random order, registered with caller-provided storage through the older entry point,
   sorted in place at the first update;
   each key's update reaches exactly its own sites; remove forgets them.  */
/* { dg-do run { target x86_64-*-* } } */
/* { dg-staticcall-noplugin "" } */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <staticcall.h>
#include <staticcall/abi.h>

#define NSITES	5000
#define NKEYS	50
#define CODE	((64 + 8 * NSITES + 65535) & ~65535)	/* whole pages */

static unsigned char *map;
static struct staticcall_key_rec *keys;
static struct staticcall_site_rec *recs;

/* key of site i; targets: 64 ret instructions at map + 0, 1, ... */
static int key_of(int i) { return (i * 7) % NKEYS; }

static uintptr_t dest_of(int i)
{
	unsigned char *p = map + 64 + 8 * i;
	int32_t rel;

	memcpy(&rel, p + 1, 4);
	return (uintptr_t)p + 5 + rel;
}

int main(void)
{
	static struct staticcall_object obj;
	int perm[NSITES], i, k;

	map = mmap(NULL, CODE + 65536, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return 1;
	memset(map, 0xc3, 64);
	keys = (struct staticcall_key_rec *)(map + CODE);
	recs = (struct staticcall_site_rec *)(keys + NKEYS + 1);
	strcpy((char *)(keys + NKEYS), "synthetic");
	for (k = 0; k < NKEYS; k++) {
		keys[k].magic = STATICCALL_KEY_MAGIC;
		keys[k].version = STATICCALL_ABI_VERSION;
		keys[k].name = (int32_t)((char *)(keys + NKEYS) - (char *)&keys[k].name);
		/* a function key's default is its ident (never called here:
		   the sites start at map + 0) */
		keys[k].ident = (uintptr_t)map + 64 + 8 * NSITES + k;
		keys[k].deflt = keys[k].ident;
	}
	for (i = 0; i < NSITES; i++) {
		unsigned char *p = map + 64 + 8 * i;
		int32_t rel = (int32_t)((uintptr_t)map - ((uintptr_t)p + 5));

		p[0] = 0xe8;
		memcpy(p + 1, &rel, 4);
		p[5] = 0x0f; p[6] = 0x1f; p[7] = 0x00;
		perm[i] = i;
	}
	srandom(1);
	for (i = NSITES - 1; i > 0; i--) {
		int j = (int)(random() % (i + 1)), t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
	for (i = 0; i < NSITES; i++) {
		struct staticcall_site_rec *r = &recs[perm[i]];

		r->site = (int32_t)((intptr_t)(map + 64 + 8 * i) - (intptr_t)r);
		r->key = (int32_t)((intptr_t)&keys[key_of(i)] - (intptr_t)r) |
			 STATICCALL_SITE_ALIGNED;
	}
	if (mprotect(map, CODE, PROT_READ | PROT_EXEC))
		return 2;
	if (staticcall_object_add(&obj, recs, recs + NSITES))
		return 3;
	if (staticcall_object_add(&obj, recs, recs + NSITES) != -EBUSY)
		return 4;
	for (k = 0; k < NKEYS; k++)
		if (staticcall_update_key((const void *)(uintptr_t)keys[k].ident,
					  map + 1 + k, 0))
			return 6;
	/* sorted by (ident, site) at the first update */
	for (i = 1; i < NSITES; i++) {
		struct staticcall_site_rec *a = &recs[i - 1], *b = &recs[i];

		if (staticcall_site_key(a)->ident > staticcall_site_key(b)->ident ||
		    (staticcall_site_key(a)->ident == staticcall_site_key(b)->ident &&
		     staticcall_site_addr(a) >= staticcall_site_addr(b)))
			return 5;
	}
	for (i = 0; i < NSITES; i++)
		if (dest_of(i) != (uintptr_t)map + 1 + key_of(i)) {
			printf("site %d goes to +%ld\n", i, (long)(dest_of(i) - (uintptr_t)map));
			return 7;
		}
	if (staticcall_reset_key((const void *)(uintptr_t)keys[3].ident, 0))
		return 8;
	for (i = 0; i < NSITES; i++)
		if (dest_of(i) != (key_of(i) == 3 ? keys[3].deflt :
				    (uintptr_t)map + 1 + key_of(i)))
			return 9;
	if (staticcall_object_remove(&obj))
		return 10;
	if (staticcall_update_key((const void *)(uintptr_t)keys[0].ident, map, 0) != -ENOENT)
		return 11;
	return 0;
}
