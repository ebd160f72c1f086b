#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Learning benchmark: what `sca record -- CMD` costs a workload, learning
# from the syscall source (the default) and from the log-all filter
# (--learn log-all), side by side with the workload alone, runs
# interleaved, medians. Three workloads:
#   sysloop   1,000,000 getppid calls: ns per call, as the loop measures it
#   dd        dd if=/dev/zero of=/dev/null bs=512 count=300000: wall time of
#             the whole `sca record` command, and dd's own
#   mixed     bench/mixed_workload.py (Python and small files): the same
# and checks that the counts are exact (dd's reads and writes).
#
#   sh bench/bench_learn.sh [BUILD_DIR] [RUNS]      (as root)
set -eu
B=${1:-build}
RUNS=${2:-5}
SCA=$B/sca
LOOP=$B/bench/sysloop
HERE=$(dirname "$0")
[ "$(id -u)" -eq 0 ] || { echo "bench_learn: needs root" >&2; exit 2; }
[ -x "$SCA" ] && [ -x "$LOOP" ] || { echo "bench_learn: build first (scripts/build.sh)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$HERE/lib.sh"   # median

PY=/usr/bin/python3
dd_cmd="dd if=/dev/zero of=/dev/null bs=512 count=300000"
mixed_cmd="$PY $HERE/mixed_workload.py 10000"

# wall CMD...: seconds CMD took, its output to $tmp/out, its stderr to $tmp/err
wall() {
	t0=$(date +%s.%N)
	"$@" >"$tmp/out" 2>"$tmp/err"
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }'
}
# dd_self: the seconds dd said it copied for, from $tmp/err
dd_self() { sed -n 's/.* copied, \([0-9.]*\) s,.*/\1/p' "$tmp/err"; }

: >"$tmp/rows"
for r in $(seq "$RUNS"); do
	# sysloop: ns per call, in the loop's own clock
	a=$("$LOOP")
	s=$("$SCA" record -o "$tmp/l.trace" --force -- "$LOOP" 2>/dev/null)
	l=$("$SCA" record --learn log-all -o "$tmp/l.trace" --force -- "$LOOP" 2>/dev/null)
	echo "loop $r $a $s $l" >>"$tmp/rows"
	# dd: whole command and dd's own time
	wa=$(wall sh -c "$dd_cmd"); da=$(dd_self)
	ws=$(wall "$SCA" record -o "$tmp/d.trace" --force -- sh -c "$dd_cmd"); ds=$(dd_self)
	wl=$(wall "$SCA" record --learn log-all -o "$tmp/d.trace" --force -- sh -c "$dd_cmd"); dl=$(dd_self)
	echo "dd $r $wa $ws $wl $da $ds $dl" >>"$tmp/rows"
	# mixed: whole command
	ma=$(wall $mixed_cmd)
	ms=$(wall "$SCA" record -o "$tmp/m.trace" --force -- $mixed_cmd)
	ml=$(wall "$SCA" record --learn log-all -o "$tmp/m.trace" --force -- $mixed_cmd)
	echo "mixed $r $ma $ms $ml" >>"$tmp/rows"
	# a bare start: the fixed cost of a recording
	t=$(wall "$SCA" record -o "$tmp/t.trace" --force -- true)
	echo "true $r $t" >>"$tmp/rows"
	awk -v r="$r" '$2 == r' "$tmp/rows" | sed 's/^/  run /'
done

# The counts of one more dd recording, exact.
"$SCA" record -o "$tmp/d.trace" --force -- sh -c "$dd_cmd" 2>/dev/null
counts=$("$SCA" analyze "$tmp/d.trace" --sql "SELECT syscall, sum(n) FROM calls_summary WHERE syscall IN ('read', 'write') GROUP BY syscall ORDER BY syscall" --format csv 2>/dev/null | tail -n +2 | tr -d "\r" | tr "\n" " ")

col() { awk -v k="$1" -v c="$2" '$1 == k { print $c }' "$tmp/rows" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
la=$(col loop 3) ls=$(col loop 4) ll=$(col loop 5)
echo "medians of $RUNS runs, interleaved:"
printf '  getppid loop:   alone %.1f ns/call; syscall source %.1f (+%.1f); log-all %.1f (+%.1f)\n' \
	"$la" "$ls" "$(awk -v a="$ls" -v b="$la" 'BEGIN { print a - b }')" "$ll" \
	"$(awk -v a="$ll" -v b="$la" 'BEGIN { print a - b }')"
wa=$(col dd 3) ws=$(col dd 4) wl=$(col dd 5) da=$(col dd 6) ds=$(col dd 7) dl=$(col dd 8)
printf '  dd, whole command: alone %.3f s; syscall source %.3f s (%s); log-all %.3f s (%s)\n' \
	"$wa" "$ws" "$(ratio "$ws" "$wa")" "$wl" "$(ratio "$wl" "$wa")"
printf '  dd, its own time:  alone %.3f s; syscall source %.3f s (%s); log-all %.3f s (%s)\n' \
	"$da" "$ds" "$(ratio "$ds" "$da")" "$dl" "$(ratio "$dl" "$da")"
ma=$(col mixed 3) ms=$(col mixed 4) ml=$(col mixed 5)
printf '  mixed workload:    alone %.3f s; syscall source %.3f s (%s); log-all %.3f s (%s)\n' \
	"$ma" "$ms" "$(ratio "$ms" "$ma")" "$ml" "$(ratio "$ml" "$ma")"
printf '  sca record -- true: %.3f s (loading the programs, draining, closing the trace)\n' "$(col true 3)"
echo "  dd's calls in the trace: $counts(300000 each asked for, plus dd's own few)"
