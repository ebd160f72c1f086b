#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Container starts benchmark: a runc and a crun busybox container, each
# learnt once under a filter (sca record --all-syscalls --container), then
# started STARTS times under its profile (default kill_process, the
# runtime's needs added by profile-gen); prints per runtime the starts, the
# failures and the median start time (runtime run to exit). Exit 1 if any
# start failed. The integration tier runs the same with 20 starts.
#
#   sh bench/bench_container_starts.sh [BUILD_DIR] [STARTS]      (as root; STARTS: 500)
set -eu
B=${1:-build}
STARTS=${2:-500}
HERE=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "bench_container_starts: needs root" >&2; exit 2; }
[ -x "$B/sca" ] || { echo "bench_container_starts: build first (scripts/build.sh)" >&2; exit 2; }
exec sh "$HERE/../tests/integration/test_container_starts.sh" "$(cd "$B" && pwd)/sca" "$STARTS" count
