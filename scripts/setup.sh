# setup.sh - shared by scripts/check and scripts/demo (sourced, not run):
# the target list, installing what a fresh Debian bookworm lacks, and
# configuring and building one target in build/<triplet>/.
#
# After sourcing: $top (the source tree), $targets (all three triplets),
# sc_install_packages BUILD..., sc_autogen, sc_target_cc BUILD,
# sc_target_cxx BUILD, sc_qemu BUILD, sc_system_kernel BUILD,
# sc_configure BUILD, sc_build BUILD.
# A BUILD is a triplet (GCC 12, the default compiler, in build/<triplet>/)
# or gcc-11/<triplet> (the same target with GCC 11, in build/gcc-11/<triplet>/).
# Each step logs to build/<BUILD>/<step>.log and returns non-zero on failure.

top=$(cd "$(dirname "$0")/.." && pwd)
targets="x86_64-linux-gnu aarch64-linux-gnu powerpc64le-linux-gnu"
# The build machine (a fresh machine may have neither gcc nor dpkg-dev yet).
case "$(uname -m)" in
x86_64)		build_triplet=x86_64-linux-gnu ;;
aarch64)	build_triplet=aarch64-linux-gnu ;;
ppc64le)	build_triplet=powerpc64le-linux-gnu ;;
*)		build_triplet=$(uname -m)-linux-gnu ;;
esac
: "${SC_JOBS:=2}"

# Debian architecture name of a triplet (for libc6-dev-<arch>-cross).
sc_debian_arch () {
	case "$1" in
	x86_64-*)	echo amd64 ;;
	aarch64-*)	echo arm64 ;;
	powerpc64le-*)	echo ppc64el ;;
	*)		echo unknown ;;
	esac
}

# The triplet and the GCC version of a BUILD.
sc_triplet () { echo "${1#gcc-*/}"; }
sc_gcc_version () {
	case "$1" in
	gcc-*/*)	v=${1%%/*}; echo "${v#gcc-}" ;;
	*)		echo 12 ;;
	esac
}

# The target compiler: gcc-12 natively, <triplet>-gcc-12 for a cross target
# (gcc-11, <triplet>-gcc-11 for a gcc-11/ build).
sc_target_cc () {
	t=$(sc_triplet "$1") v=$(sc_gcc_version "$1")
	if [ "$t" = "$build_triplet" ]; then echo "gcc-$v"; else echo "$t-gcc-$v"; fi
}

# The target's C++ compiler (the staticcall.cxx tests).
sc_target_cxx () {
	t=$(sc_triplet "$1") v=$(sc_gcc_version "$1")
	if [ "$t" = "$build_triplet" ]; then echo "g++-$v"; else echo "$t-g++-$v"; fi
}

# How a target program runs on this machine ("" natively).  Under qemu-user
# the runtime writes text with the mprotect writer: qemu does not see stores
# made through a second mapping (doc/runtime.md, "Text writers").
sc_qemu () {
	t=$(sc_triplet "$1")
	if [ "$t" = "$build_triplet" ]; then echo ""; return; fi
	w="-E STATICCALL_WRITER=mprotect"
	case "$t" in
	x86_64-*)	echo "qemu-x86_64 -L /usr/$t $w" ;;
	aarch64-*)	echo "qemu-aarch64 -L /usr/$t $w" ;;
	powerpc64le-*)	echo "qemu-ppc64le -L /usr/$t $w" ;;
	*)		echo "qemu-unknown" ;;
	esac
}

# Install the Debian packages the given targets need, if any is missing
# (plus $sc_extra_packages: scripts/check adds clang for staticcall.sem).
sc_install_packages () {
	pkgs="autoconf automake libtool make dejagnu libelf-dev libc6-dev g++ gcc-12 g++-12 gcc-12-plugin-dev pkg-config valgrind gdb texinfo ${sc_extra_packages:-}"
	for t in "$@"; do
		v=$(sc_gcc_version "$t") t=$(sc_triplet "$t")
		[ "$v" = 12 ] || pkgs="$pkgs gcc-$v g++-$v gcc-$v-plugin-dev"
		# the bare-metal kernels' emulators (testsuite/staticcall.baremetal),
		# and for the system lane cpio (its initramfs)
		case "$t" in
		x86_64-*)	pkgs="$pkgs qemu-system-x86" ;;
		aarch64-*)	pkgs="$pkgs qemu-system-arm cpio" ;;
		powerpc64le-*)	pkgs="$pkgs qemu-system-ppc cpio" ;;
		esac
		[ "$t" = "$build_triplet" ] && continue
		p=$(echo "$t" | tr _ -)	# Debian spells x86_64 x86-64 in names
		pkgs="$pkgs gcc-$v-$p g++-$v-$p gcc-$v-plugin-dev-$p libc6-dev-$(sc_debian_arch "$t")-cross binutils-$p qemu-user"
	done
	missing=
	for p in $pkgs; do
		case " $missing " in *" $p "*) continue ;; esac
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
			missing="$missing $p"
		fi
	done
	[ -z "$missing" ] && return 0
	echo "== installing:$missing"
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "error: apt-get not found; install:$missing" >&2
		return 1
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "error: run as root to install:$missing" >&2
		return 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	log=$top/build/apt.log
	{ apt-get update -q && apt-get install -y -q --no-install-recommends $missing; } > "$log" 2>&1 || {
		tail -20 "$log"
		return 1
	}
}

# The Debian kernel the system lane boots for a cross target
# (testsuite/staticcall.system): the package that linux-image-<flavour>
# of the target's Debian architecture depends on, versioned by its name
# (linux-image-6.1.0-57-arm64), fetched with apt-get download once and
# cached in build/kernels/<debian-arch>/: the .deb, its boot/ folder, and
# the link kernel -> the image.  Adds the architecture to dpkg and updates
# the package lists when the archive does not know it yet (as root).
# Returns 0 when the kernel is there (or the target has no lane: x86_64
# runs natively); else says why (also in build/kernels/fetch.log, which
# system.exp quotes) and returns 1.  Never waits on the network more than
# a few minutes.
sc_system_kernel () {
	t=$(sc_triplet "$1") a=$(sc_debian_arch "$t")
	case "$a" in
	arm64)		flavour=arm64 ;;
	ppc64el)	flavour=powerpc64le ;;
	*)		return 0 ;;
	esac
	d=$top/build/kernels/$a log=$top/build/kernels/fetch.log
	[ -e "$d/kernel" ] && return 0
	mkdir -p "$d"
	say () { echo "system lane $a: $*" | tee -a "$log" >&2; }
	apt_opts="-q -o Acquire::Retries=1 -o Acquire::http::Timeout=30"
	pkg=$(apt-cache depends "linux-image-$flavour:$a" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*\).*/\1/p' | head -1)
	if [ -z "$pkg" ]; then
		if [ "$(id -u)" != 0 ]; then
			say "no kernel: the package lists do not know linux-image-$flavour:$a (as root: dpkg --add-architecture $a; apt-get update)"
			return 1
		fi
		dpkg --print-foreign-architectures | grep -qx "$a" || dpkg --add-architecture "$a"
		if ! timeout 300 apt-get update $apt_opts >> "$log" 2>&1; then
			say "no kernel: apt-get update failed (no network?)"
			return 1
		fi
		pkg=$(apt-cache depends "linux-image-$flavour:$a" 2>/dev/null |
			sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*\).*/\1/p' | head -1)
		if [ -z "$pkg" ]; then
			say "no kernel: the archive has no linux-image-$flavour:$a"
			return 1
		fi
	fi
	rm -rf "$d/$pkg" "$d"/*.deb
	if ! (cd "$d" && timeout 600 apt-get download $apt_opts "$pkg:$a") >> "$log" 2>&1; then
		say "no kernel: apt-get download $pkg:$a failed (no network?)"
		return 1
	fi
	mkdir -p "$d/$pkg"
	if ! dpkg-deb --fsys-tarfile "$d"/"$pkg"_*.deb | tar -x -C "$d/$pkg" ./boot; then
		say "no kernel: $pkg: dpkg-deb failed"
		return 1
	fi
	image=$(cd "$d" && ls "$pkg"/boot/vmlinu[xz]-* 2>/dev/null | head -1)
	if [ -z "$image" ]; then
		say "no kernel: $pkg has no boot/vmlinu[xz]-*"
		return 1
	fi
	ln -sfn "$image" "$d/kernel"
	say "$image"
}

# Generate configure when the tree has none (a fresh clone).
sc_autogen () {
	if [ ! -x "$top/configure" ] || [ "$top/configure.ac" -nt "$top/configure" ] ||
	   [ ! -f "$top/Makefile.in" ]; then
		echo "== autogen.sh"
		(cd "$top" && ./autogen.sh) > "$top/build/autogen.log" 2>&1 || {
			tail -20 "$top/build/autogen.log"
			return 1
		}
	fi
}

# sc_hardened_flags BUILD VAR: with SC_HARDENED=1 (scripts/check --hardened)
# the flags VAR (CFLAGS, CPPFLAGS, LDFLAGS) of dpkg-buildflags with
# hardening=+all for the BUILD's Debian architecture, CFLAGS plus the
# target's branch protection (bookworm's dpkg has no "branch" feature).
# Empty without SC_HARDENED.
sc_hardened_flags () {
	[ "${SC_HARDENED:-0}" = 1 ] || return 0
	v=$(DEB_BUILD_MAINT_OPTIONS=hardening=+all \
	    DEB_HOST_ARCH=$(sc_debian_arch "$(sc_triplet "$1")") \
	    dpkg-buildflags --get "$2" 2>/dev/null)
	if [ "$2" = CFLAGS ]; then
		case "$(sc_triplet "$1")" in
		aarch64-*)	v="$v -mbranch-protection=standard" ;;
		x86_64-*)	v="$v -fcf-protection=full" ;;
		esac
	fi
	echo "$v"
}

# Configure build/<triplet>/ (once; make re-runs it when configure changes).
sc_configure () {
	t=$1 b=$top/build/$1
	mkdir -p "$b"
	cc=$(sc_target_cc "$t") cxx=$(sc_target_cxx "$t")
	# --hardened: the library built with the distribution's flags, less
	# -fstack-protector-strong as in debian/rules (the core is
	# freestanding); the testsuite's programs with all of them
	# (STATICCALL_TEST_CFLAGS/LDFLAGS, testsuite/lib/staticcall.exp)
	hcflags=$(sc_hardened_flags "$t" CFLAGS)
	cflags=$(echo "${hcflags:--g -O2}" | sed 's/ *-fstack-protector-strong//')
	tcflags=$(echo "$hcflags $(sc_hardened_flags "$t" CPPFLAGS)" | sed 's/^ *//; s/ *$//')
	tldflags=$(sc_hardened_flags "$t" LDFLAGS)
	# Configured already, for this prefix, compiler and flags: make
	# re-runs configure when configure.ac or a Makefile.am fragment changes.
	grep -qx "prefix = $b/prefix" "$b/Makefile" 2>/dev/null &&
	grep -qx "CC = $cc" "$b/Makefile" 2>/dev/null &&
	grep -qx "CXX = $cxx" "$b/Makefile" 2>/dev/null &&
	grep -qx "CFLAGS = $cflags" "$b/Makefile" 2>/dev/null &&
	grep -qx "STATICCALL_TEST_CFLAGS = $tcflags" "$b/Makefile" 2>/dev/null && return 0
	if [ "$(sc_triplet "$t")" = "$build_triplet" ]; then
		set -- CC="$cc" CXX="$cxx"
	else
		set -- --host="$(sc_triplet "$t")" CC="$cc" CXX="$cxx"
	fi
	set -- "$@" CFLAGS="$cflags" STATICCALL_TEST_CFLAGS="$tcflags" \
		STATICCALL_TEST_LDFLAGS="$tldflags"
	if [ "${SC_HARDENED:-0}" = 1 ]; then
		set -- "$@" CPPFLAGS="$(sc_hardened_flags "$t" CPPFLAGS)" \
			LDFLAGS="$tldflags"
	fi
	(cd "$b" && "$top/configure" --prefix="$b/prefix" "$@") > "$b/configure.log" 2>&1 || {
		tail -20 "$b/configure.log"
		rm -f "$b/Makefile"
		return 1
	}
}

# Build build/<triplet>/ with -j$SC_JOBS.
sc_build () {
	b=$top/build/$1
	make -C "$b" -j"$SC_JOBS" > "$b/build.log" 2>&1 || {
		grep -E "error|Error" "$b/build.log" | head -20
		return 1
	}
}
