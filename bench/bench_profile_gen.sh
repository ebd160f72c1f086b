#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# profile-gen benchmark: the time to turn N synthetic events, written as the
# syscall source records them (synth_trace -c -A: ~600,000 CALLS records per
# 2,000,000 events, mmap's prot told apart), into a validated profile:
#  - `sca profile-gen TRACE -o /dev/null` (argument conditions learnt),
#  - the same with `--args none` (names only),
#  - and, given OLD_SCA (an sca built from an older commit), that one's
#    profile-gen on the same trace,
# interleaved over RUNS runs; prints each run, then medians and ratios.
#
#   sh bench/bench_profile_gen.sh [BUILD_DIR] [N] [RUNS] [OLD_SCA]
#   environment: TMPDIR (scratch files, default /tmp)
set -eu
B=${1:-build}
N=${2:-2000000}
RUNS=${3:-7}
OLD=${4:-}
. "$(dirname "$0")/lib.sh"
SCA=$B/sca
[ -x "$SCA" ] && [ -x "$B/bench/synth_trace" ] || { echo "bench_profile_gen: build first ($B/sca, $B/bench/synth_trace)" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/sca-bench-gen.XXXXXX")
trap 'rm -rf "$W"' EXIT HUP INT TERM
"$B/bench/synth_trace" -n "$N" -c -A -o "$W/t.trace"
echo "trace: $("$SCA" inspect "$W/t.trace" 2>/dev/null | sed -n 's/^calls: *//p')"

# secs CMD...: wall seconds of CMD, its output discarded
secs() {
	s=$(date +%s.%N)
	"$@" >/dev/null 2>&1 || { echo "bench_profile_gen: failed: $*" >&2; exit 1; }
	e=$(date +%s.%N)
	echo "$e - $s" | bc
}
: >"$W/learn"; : >"$W/none"; : >"$W/old"
i=1
while [ $i -le "$RUNS" ]; do
	l=$(secs "$SCA" profile-gen "$W/t.trace" -o /dev/null)
	n=$(secs "$SCA" profile-gen "$W/t.trace" --args none -o /dev/null)
	o=-
	[ -z "$OLD" ] || o=$(secs "$OLD" profile-gen "$W/t.trace" -o /dev/null)
	echo "run $i: learn $l s, --args none $n s, old $o s"
	echo "$l" >>"$W/learn"; echo "$n" >>"$W/none"; [ -z "$OLD" ] || echo "$o" >>"$W/old"
	i=$((i + 1))
done
ml=$(median <"$W/learn") mn=$(median <"$W/none")
echo "median: learn $ml s, --args none $mn s, ratio $(echo "scale=3; $ml / $mn" | bc)"
if [ -n "$OLD" ]; then
	mo=$(median <"$W/old")
	echo "median: old $mo s, learn / old $(echo "scale=3; $ml / $mo" | bc)"
fi
