#!/bin/sh
# run.sh CPU KERNEL [SECONDS] - boot a baremetal kernel under qemu-system
# with 2 CPUs and its serial port on stdout.  SECONDS (default 60) bounds
# silence, not the run: the kernel prints a line every 500 retargets, and
# a kernel that prints nothing for SECONDS is taken as hung and stopped,
# so a loaded machine makes the run slower, never a failure.
# Exit status: 0 when qemu left with the kernel's success status, 77 when
# the emulator is not installed (a skip, said on stdout), 1 otherwise.
cpu=$1 kernel=$2 limit=${3:-60}
case "$cpu" in
x86_64)
	qemu=qemu-system-x86_64
	# isa-debug-exit: the kernel's status s leaves qemu with 2s + 1;
	# -no-reboot: a triple fault ends the run (status 0) instead of
	# booting again until the timeout
	set -- -M pc -cpu max -m 64 -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04
	ok=1 ;;
aarch64)
	qemu=qemu-system-aarch64
	# semihosting SYS_EXIT carries the kernel's status; -cpu max has
	# BTI (the kernel's BTI test); 512 MB: its far page at 256 MB
	set -- -M virt -cpu max,pauth-impdef=on -m 512 \
		-semihosting-config enable=on,target=native
	ok=0 ;;
powerpc64)
	qemu=qemu-system-ppc64
	# the kernel is the firmware; RTAS power-off carries no status (a
	# failing kernel spins until the timeout instead); the cap- settings
	# are the ones TCG has (it warns about the defaults)
	set -- -M pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off \
		-m 256
	ok=0 ;;
*)
	echo "run.sh: no kernel for CPU $cpu" >&2
	exit 1 ;;
esac
if ! command -v "$qemu" >/dev/null 2>&1; then
	echo "baremetal $cpu: skipped: $qemu is not installed"
	exit 77
fi
load=-kernel
[ "$cpu" = powerpc64 ] && load=-bios
serial=$(mktemp) || exit 1
echo "$qemu -smp 2 $* -display none -monitor none -serial file:$serial $load $kernel" >&2
"$qemu" -smp 2 "$@" -display none -monitor none \
	-serial "file:$serial" $load "$kernel" < /dev/null &
pid=$!
# the hang detector: seconds since the serial output last grew
size=0 quiet=0 hung=0
while kill -0 "$pid" 2>/dev/null; do
	sleep 1
	now=$(wc -c < "$serial")
	if [ "$now" != "$size" ]; then
		size=$now quiet=0
	else
		quiet=$((quiet + 1))
	fi
	if [ "$quiet" -ge "$limit" ]; then
		kill "$pid"
		hung=1
		break
	fi
done
wait "$pid"
status=$?
cat "$serial"
rm -f "$serial"
[ "$hung" = 0 ] && [ "$status" = "$ok" ] && exit 0
if [ "$hung" = 1 ]; then
	echo "baremetal $cpu: no output for $limit s: hung, stopped"
else
	echo "baremetal $cpu: qemu exit status $status (success is $ok)"
fi
exit 1
