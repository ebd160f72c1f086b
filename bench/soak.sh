#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Soak: `sca record -o` for a long time while processes keep starting and
# exiting (each with fresh pids, some making logged syscalls), sampling the
# recorder's resident memory and open descriptors. Caches are bounded, so
# both must stay flat.
#
#   sh bench/soak.sh [BUILD_DIR] [SECONDS] [SAMPLE_EVERY_S]   (as root; default 1800 s)
set -eu
B=${1:-build}
SECS=${2:-1800}
EVERY=${3:-60}
SCA=$B/sca
GEN=$B/tests/integration/logspam
[ "$(id -u)" -eq 0 ] || { echo "soak: needs root" >&2; exit 2; }
[ -x "$SCA" ] && [ -x "$GEN" ] || { echo "soak: build first (scripts/build.sh)" >&2; exit 2; }
tmp=$(mktemp -d)
rec=""
load=""
cleanup() {
	[ -n "$load" ] && kill "$load" 2>/dev/null
	[ -n "$rec" ] && kill -INT "$rec" 2>/dev/null && wait "$rec" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

"$SCA" record -o "$tmp/soak.trace" 2>"$tmp/rec.log" &
rec=$!
while ! grep -q recording "$tmp/rec.log" 2>/dev/null; do sleep 0.1; done

# the churn: short-lived processes, each a new pid making logged syscalls
(
	while :; do
		"$GEN" -n 50 -f 20 >/dev/null
		sh -c 'true' && ls /proc >/dev/null
		sleep 0.1    # about 150 new processes a second, not a busy core
	done
) &
load=$!

echo "soak: ${SECS}s, sampling every ${EVERY}s; recorder pid $rec"
printf '%8s %12s %6s %12s\n' elapsed_s rss_kib fds trace_bytes
start=$(date +%s)
first_rss=""
max_rss=0
fds0=""
while :; do
	now=$(date +%s)
	el=$((now - start))
	rss=$(awk '/^VmRSS/ { print $2 }' /proc/$rec/status)
	fds=$(ls /proc/$rec/fd | wc -l)
	bytes=$(wc -c <"$tmp/soak.trace")
	printf '%8d %12d %6d %12d\n' "$el" "$rss" "$fds" "$bytes"
	[ -z "$first_rss" ] && [ "$el" -ge "$EVERY" ] && first_rss=$rss
	[ "$rss" -gt "$max_rss" ] && max_rss=$rss
	[ -z "$fds0" ] && fds0=$fds
	[ "$el" -ge "$SECS" ] && break
	sleep "$EVERY"
done
kill "$load" 2>/dev/null
load=""
kill -INT "$rec"
wait "$rec" || true
rec=""
tail -2 "$tmp/rec.log"
echo "soak: rss after the first sample ${first_rss:-?} KiB, max $max_rss KiB; descriptors first $fds0, last $fds"
# flat: no more than 25 % above the first minute's value, same descriptors
if [ -n "$first_rss" ] && [ $((max_rss * 4)) -gt $((first_rss * 5)) ]; then
	echo "soak: FAIL: memory grew"; exit 1
fi
[ "$fds" -eq "$fds0" ] || { echo "soak: FAIL: descriptors changed"; exit 1; }
echo "soak: PASS"
