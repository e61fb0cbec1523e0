#!/bin/sh
# run-callgrind.sh BENCH - instructions per call of each call variant of
# staticcall-bench, counted by callgrind (valgrind) over 10^5 calls inside
# the variant's loop function only.  --smc-check=all: the site is patched.
set -e
bench=${1:-./bench/staticcall-bench}
n=100000
command -v valgrind >/dev/null || { echo "valgrind not installed"; exit 0; }
tmp=${TMPDIR:-/tmp}/sc-callgrind.$$
trap 'rm -f "$tmp".*' EXIT
echo "instructions per call (callgrind, loop function only, $n calls)"
for v in direct site indirect retpoline trampoline; do
	case $v in
	direct) fn=loop_direct ;; site) fn=loop_site ;;
	indirect) fn=loop_indirect ;; retpoline) fn=loop_retpoline ;;
	trampoline) fn=loop_tramp ;;
	esac
	if ! valgrind --tool=callgrind --smc-check=all --toggle-collect="$fn" \
		--callgrind-out-file="$tmp.$v" "$bench" "$v" $n >/dev/null 2>&1; then
		continue
	fi
	ir=$(callgrind_annotate "$tmp.$v" 2>/dev/null |
		awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }')
	[ -n "$ir" ] && printf '  %-11s %6.2f\n' "$v" "$(echo "$ir $n" | awk '{ printf "%.2f", $1 / $2 }')"
done
