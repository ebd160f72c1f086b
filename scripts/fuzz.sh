#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A longer fuzzing campaign than the smoke runs in scripts/test.sh:
#   sh scripts/fuzz.sh [SECONDS_PER_TARGET]      (default 600)
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-clang/ and
# runs each for the given time on both cores, growing a corpus in
# build-clang/fuzz-corpus/TARGET/ (never in the source tree). Crashes are
# written to build-clang/fuzz-artifacts/, and so is any input that takes more
# than 512 MB (the limits of the smoke runs, tests/fuzz/CMakeLists.txt).
# Prints each target's executions.
set -eu
cd "$(dirname "$0")/.."
secs=${1:-600}
sh scripts/deps.sh
CC=clang cmake -S . -B build-clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCA_WERROR=ON >/dev/null
cmake --build build-clang -j"$(nproc)" --target fuzz_trace fuzz_audit_parse fuzz_profile >/dev/null
mkdir -p build-clang/fuzz-artifacts
rc=0
for t in trace:trace audit_parse:audit profile:profile; do
	target=${t%%:*}
	seeds=tests/fuzz/corpus/${t#*:}
	corpus=build-clang/fuzz-corpus/$target
	mkdir -p "$corpus"
	echo "==> fuzz_$target for ${secs}s"
	if build-clang/tests/fuzz/fuzz_$target -max_total_time="$secs" -jobs=2 -workers=2 \
		-rss_limit_mb=512 -malloc_limit_mb=512 \
		-artifact_prefix=build-clang/fuzz-artifacts/ "$corpus" "$seeds" \
		>build-clang/fuzz-$target.log 2>&1; then
		:
	else
		rc=1
	fi
	# libFuzzer's per-job logs end with "Done N runs in S second(s)"
	runs=$(cat fuzz-*.log 2>/dev/null | sed -n 's/^Done \([0-9]*\) runs.*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
	echo "fuzz_$target: $runs executions in ${secs}s, corpus $(ls "$corpus" | wc -l) inputs, exit $rc"
	rm -f fuzz-*.log
done
ls build-clang/fuzz-artifacts/ | grep -q . && { echo "crashes in build-clang/fuzz-artifacts/"; rc=1; }
exit $rc
