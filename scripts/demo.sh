#!/bin/sh
# Demo: build sca, then record the bundled workload (scripts/demo-workload.sh)
# under a learning filter that logs every syscall, and look at the trace.
# Also records the seed scenario system-wide: a filter that logs mkdir and
# kills unshare, watched live.
#
# Needs root (audit and seccomp); without root it shows the trace format on
# a synthetic workload instead. `sca analyze` and `sca profile-gen` are not
# built yet; the demo grows into record -> analyze -> profile-gen with them.
set -eu
cd "$(dirname "$0")/.."

sh scripts/build.sh >/dev/null

out=${SCA_DEMO_DIR:-build/demo}
mkdir -p "$out"

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: not root, so no kernel recording; showing a synthetic trace instead"
	build/bench/synth_trace -n 200000 -o "$out/demo.trace"
	build/sca inspect "$out/demo.trace"
	exit 0
fi

echo "$ sca record -o $out/run.trace -- sh scripts/demo-workload.sh"
build/sca record -o "$out/run.trace" -- sh scripts/demo-workload.sh
echo
echo "$ sca inspect $out/run.trace"
build/sca inspect "$out/run.trace"
echo
echo "syscalls the workload made, most frequent first (sca analyze will do this):"
build/sca inspect --events "$out/run.trace" |
	awk '/^[0-9][0-9][0-9][0-9]-/ { n[$6]++ } END { for (s in n) printf "%8d  %s\n", n[s], s }' |
	sort -rn | head -15
echo "... $(build/sca inspect --events "$out/run.trace" | awk '/^[0-9][0-9][0-9][0-9]-/ { print $6 }' | sort -u | wc -l) distinct syscalls in all"
echo
echo "$ sca record --columns pid,comm,syscall,code   # live, while the seed scenario runs"
build/sca record --columns pid,comm,syscall,code --duration 1.5 &
rec=$!
sleep 0.3
build/tests/integration/seed "$out/seed-dir" >/dev/null 2>&1 || true
rmdir "$out/seed-dir" 2>/dev/null || true
wait $rec
