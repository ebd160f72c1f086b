#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Recorder benchmark: a generator makes N logged syscalls as fast as it can
# while `sca record -o` (default settings, system-wide, audit source) records.
# Prints per run and as medians: generator rate, captured/generated, recorder
# CPU per event, bytes per event on disk.
#
#   sh bench/bench_record.sh [BUILD_DIR] [N] [RUNS]      (as root)
set -eu
B=${1:-build}
N=${2:-1000000}
RUNS=${3:-5}
SCA=$B/sca
GEN=$B/tests/integration/logspam
[ "$(id -u)" -eq 0 ] || { echo "bench_record: needs root" >&2; exit 2; }
[ -x "$SCA" ] && [ -x "$GEN" ] || { echo "bench_record: build first (scripts/build.sh)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
hz=$(getconf CLK_TCK)

. "$(dirname "$0")/lib.sh"   # median

echo "generator: $N logged getppid calls; recorder: sca record -o FILE (defaults); $RUNS runs"
printf '%-4s %12s %10s %14s %10s %12s\n' run "gen ev/s" captured "captured %" "cpu ns/ev" "bytes/ev"
for r in $(seq "$RUNS"); do
	"$SCA" record --force -o "$tmp/r.trace" 2>"$tmp/rec.log" &
	rec=$!
	while ! grep -q recording "$tmp/rec.log" 2>/dev/null; do sleep 0.05; done
	t0=$(date +%s.%N)
	pid=$("$GEN" -n "$N" | awk '{ print $2 }')
	t1=$(date +%s.%N)
	sleep 1.5                    # let the last records arrive and a flush pass
	cpu=$(awk -v hz="$hz" '{ print ($14 + $15) / hz }' "/proc/$rec/stat")
	kill -INT "$rec"
	wait "$rec"
	got=$("$SCA" inspect --events "$tmp/r.trace" | awk -v p="$pid" '$2 == p && $6 == "getppid"' | wc -l)
	bytes=$(wc -c <"$tmp/r.trace")
	total=$(sed -n 's/^sca record: \([0-9]*\) events.*/\1/p' "$tmp/rec.log")
	awk -v n="$N" -v t0="$t0" -v t1="$t1" -v got="$got" -v cpu="$cpu" -v bytes="$bytes" -v total="$total" -v r="$r" 'BEGIN {
		printf "%-4d %12.0f %10d %13.3f%% %10.0f %12.2f\n", r, n / (t1 - t0), got, 100 * got / n,
			cpu * 1e9 / total, bytes / total }' | tee -a "$tmp/rows"
done
echo "medians:"
printf '  generator rate:      %.0f events/s\n' "$(awk '{ print $2 }' "$tmp/rows" | median)"
printf '  captured/generated:  %.3f%%\n' "$(awk '{ sub("%", "", $4); print $4 }' "$tmp/rows" | median)"
printf '  recorder CPU:        %.0f ns/event\n' "$(awk '{ print $5 }' "$tmp/rows" | median)"
printf '  trace size:          %.2f bytes/event\n' "$(awk '{ print $6 }' "$tmp/rows" | median)"
