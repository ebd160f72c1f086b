#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Demo: build sca, then the whole loop on the bundled workload
# (scripts/demo-workload.sh): record every syscall of it (counted in the
# kernel on sys_enter), analyze the trace, generate a profile and verify the
# workload runs under it. Also records the seed scenario system-wide (a
# filter that logs mkdir and kills unshare), watched live.
#
# Needs root (audit and seccomp); without root it analyzes a synthetic trace
# instead.
set -eu
cd "$(dirname "$0")/.."

sh scripts/build.sh >/dev/null

out=${SCA_DEMO_DIR:-build/demo}
mkdir -p "$out"

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: not root, so no kernel recording; showing a synthetic trace instead"
	build/bench/synth_trace -n 200000 -o "$out/demo.trace"
	build/sca inspect "$out/demo.trace"
	build/sca analyze "$out/demo.trace" --top 10
	exit 0
fi

echo "$ sca record -o $out/run.trace --force -- sh scripts/demo-workload.sh"
build/sca record -o "$out/run.trace" --force -- sh scripts/demo-workload.sh
echo
echo "$ sca inspect $out/run.trace"
build/sca inspect "$out/run.trace"
echo
echo "$ sca analyze $out/run.trace --top 12"
build/sca analyze "$out/run.trace" --top 12
echo
echo "$ sca analyze $out/run.trace --by comm"
build/sca analyze "$out/run.trace" --by comm
echo
echo "$ sca profile-gen $out/run.trace -o $out/profile.json --explain"
build/sca profile-gen "$out/run.trace" -o "$out/profile.json" --explain
head -c 400 "$out/profile.json"
echo "..."
echo
echo "$ sca profile-gen $out/run.trace --verify -- sh scripts/demo-workload.sh"
build/sca profile-gen "$out/run.trace" -o "$out/profile.json" --verify -- sh scripts/demo-workload.sh
echo
echo "$ sca record --columns pid,comm,syscall,code   # live, while the seed scenario runs"
build/sca record --columns pid,comm,syscall,code --duration 1.5 &
rec=$!
sleep 0.3
build/tests/integration/seed "$out/seed-dir" >/dev/null 2>&1 || true
rmdir "$out/seed-dir" 2>/dev/null || true
wait $rec
