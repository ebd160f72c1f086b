#!/bin/sh
# Demo: build sca, write a synthetic trace of 200,000 seccomp audit events
# (the bundled workload: 20 syscalls, 8 processes, 3 containers), inspect it,
# then damage a copy and show that every intact chunk is still read.
#
# `sca record`, `analyze` and `profile-gen` are not built yet; this demo
# turns into record -> analyze -> profile-gen when they are.
set -eu
cd "$(dirname "$0")/.."

sh scripts/build.sh >/dev/null

out=${SCA_DEMO_DIR:-build/demo}
mkdir -p "$out"

echo "$ build/bench/synth_trace -n 200000 -o $out/demo.trace"
build/bench/synth_trace -n 200000 -o "$out/demo.trace"
bytes=$(wc -c <"$out/demo.trace")
echo "wrote $bytes bytes ($(awk "BEGIN { printf \"%.2f\", $bytes / 200000 }") bytes/event)"
echo
echo "$ build/sca inspect $out/demo.trace"
build/sca inspect "$out/demo.trace"
echo
echo "$ build/sca inspect --events $out/demo.trace | head -5"
build/sca inspect --events "$out/demo.trace" | head -5
echo
# Cut the file as a crash or a full disk would, mid-way through a chunk.
head -c $((bytes * 2 / 3)) "$out/demo.trace" >"$out/demo-cut.trace"
echo "$ build/sca inspect $out/demo-cut.trace   # the same file cut at 2/3"
build/sca inspect "$out/demo-cut.trace" || echo "(exit $?: damage found and reported)"
