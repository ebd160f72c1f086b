#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# What the doctor's checks cost: `sca doctor` (every check, each BPF
# attachment loaded and detached, the runtimes run), the quick checks alone
# as `sca record` runs them at start (`record --duration 0` of the audit
# source), and, given an older sca without them, the same record beside it.
# Runs interleaved, medians, milliseconds.
#
#   sh bench/bench_doctor.sh [BUILD_DIR] [RUNS] [OLD_SCA]      (as root)
set -eu
B=${1:-build}
RUNS=${2:-11}
OLD=${3:-}
SCA=$B/sca
HERE=$(dirname "$0")
[ "$(id -u)" -eq 0 ] || { echo "bench_doctor: needs root" >&2; exit 2; }
[ -x "$SCA" ] || { echo "bench_doctor: build first (scripts/build.sh)" >&2; exit 2; }
[ -z "$OLD" ] || [ -x "$OLD" ] || { echo "bench_doctor: $OLD is not an executable" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$HERE/lib.sh"   # median

# ms CMD...: milliseconds CMD took (its output dropped)
ms() {
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1 || true
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000))
}

for i in $(seq "$RUNS"); do
	ms "$SCA" doctor >>"$tmp/doctor"
	ms "$SCA" record --source audit --duration 0.001 >>"$tmp/record"
	[ -z "$OLD" ] || ms "$OLD" record --source audit --duration 0.001 >>"$tmp/old"
done
echo "sca doctor (all checks):                 $(median <"$tmp/doctor") ms median of $RUNS"
echo "sca record --duration 0.001 (audit):     $(median <"$tmp/record") ms"
if [ -n "$OLD" ]; then
	echo "the same with $OLD:  $(median <"$tmp/old") ms"
fi
