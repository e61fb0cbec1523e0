#!/bin/sh
# check-freestanding.sh CC SRCDIR LIBCORE - prove the runtime core needs no
# libc: link a program that calls every core entry point with -nostdlib
# -ffreestanding -static (libgcc allowed) and list the archive's undefined
# symbols.  Exit status 0 only when the link succeeds.
set -e
cc=$1 srcdir=$2 lib=$3
tmp=${TMPDIR:-/tmp}/sc-freestanding.$$
trap 'rm -f "$tmp".c "$tmp"' EXIT
cat > "$tmp".c <<'EOC'
#include <staticcall.h>
#include <staticcall/platform.h>
static struct staticcall_object obj;
static void f(void) { }
void _start(void);
void _start(void)
{
	staticcall_set_platform(0);
	staticcall_set_log(0);
	staticcall_object_add(&obj, 0, 0);
	staticcall_update_key((const void *)f, (void *)f, 0);
	staticcall_reset_key((const void *)f, 0);
	staticcall_query_key((const void *)f, 0);
	staticcall_object_remove(&obj);
	for (;;)
		;
}
EOC
$cc -ffreestanding -nostdlib -static -fno-stack-protector -I"$srcdir/include" \
	"$tmp".c -o "$tmp" -Wl,--whole-archive "$lib" -Wl,--no-whole-archive -lgcc
# _GLOBAL_OFFSET_TABLE_ and .TOC. are the linker's own (-fPIC, ppc64 TOC).
undef=$(nm -u "$lib" | awk 'NF == 2 && $2 != "_GLOBAL_OFFSET_TABLE_" && $2 != ".TOC." { print $2 }' | sort -u)
defined=$(nm --defined-only "$lib" | awk 'NF == 3 { print $3 }' | sort -u)
missing=$(printf '%s\n' "$undef" | while read -r s; do
	[ -n "$s" ] || continue
	printf '%s\n' "$defined" | grep -qx "$s" || printf '%s ' "$s"
done)
echo "core undefined symbols not defined by the core itself: ${missing:-none}"
echo "freestanding link: ok"
