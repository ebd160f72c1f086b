#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Build sca and run its tests:
#   build/        RelWithDebInfo with gcc: every ctest test
#   build/        the unit tests again under valgrind (leaks, memory errors)
#   build-asan/   ASan + UBSan: unit, cli and integration tests
#   build-clang/  clang: must compile without warnings; fuzz smoke runs
#   build-matrix/ every other build type with gcc and clang, and one build
#                 without the BPF source: built, not tested
# Every stage runs even if an earlier one failed; the script exits non-zero
# if any failed, naming them.
set -eu
cd "$(dirname "$0")/.."

sh scripts/deps.sh

jobs=$(nproc)
failed=""

stage() {
	name=$1
	shift
	echo "==> $name" >&2
	if ! "$@"; then
		echo "==> $name: FAILED" >&2
		failed="$failed $name"
	fi
}

default_build() {
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCA_WERROR=ON &&
	cmake --build build -j"$jobs" &&
	ctest --test-dir build --output-on-failure --timeout 300
}

asan_build() {
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSCA_SANITIZE=ON -DSCA_WERROR=ON &&
	cmake --build build-asan -j"$jobs" &&
	# every tier but the VM (its guest has no sanitizer runtime) and fuzz
	# (built by clang below): sca itself runs under ASan in the cli and
	# integration tests too, and LeakSanitizer fails a test on any leak
	ctest --test-dir build-asan -LE 'vm|fuzz' --output-on-failure --no-tests=error --timeout 300
}

# The unit tier under valgrind: any leak or memory error fails it.
valgrind_unit() {
	ctest --test-dir build -L unit --output-on-failure --no-tests=error \
		--overwrite MemoryCheckCommand=/usr/bin/valgrind \
		--overwrite "MemoryCheckCommandOptions=-q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99" \
		-T memcheck
}

# clang must compile everything clean; it also builds the libFuzzer targets,
# whose short smoke runs (label fuzz) happen here.
clang_build() {
	CC=clang cmake -S . -B build-clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCA_WERROR=ON &&
	cmake --build build-clang -j"$jobs" &&
	ctest --test-dir build-clang -L fuzz --output-on-failure --no-tests=error
}

# One configuration of the build matrix: build-matrix/NAME with compiler CC
# and the given cmake options. Only diagnostics reach the terminal.
matrix_one() {
	name=$1 cc=$2
	shift 2
	echo "==> build matrix: $name" >&2
	CC=$cc cmake -S . -B "build-matrix/$name" -DSCA_WERROR=ON "$@" >/dev/null &&
	cmake --build "build-matrix/$name" -j"$jobs" >/dev/null
}

# What a packager may build: each build type (none is CMake's empty one)
# with gcc and clang, except those the stages above build, and the audit
# source alone (SCA_BPF=OFF). Each optimizer level can bring out warnings
# the others do not (gcc's -Wmaybe-uninitialized at -O3), so each must build
# clean; the stages above test the code.
matrix_build() {
	bad=""
	for cc in gcc clang; do
		for type in Release Debug MinSizeRel none; do
			bt=$type
			[ "$type" != none ] || bt=
			matrix_one "$cc-$type" "$cc" -DCMAKE_BUILD_TYPE="$bt" || bad="$bad $cc-$type"
		done
	done
	matrix_one gcc-nobpf gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCA_BPF=OFF || bad="$bad gcc-nobpf"
	[ -z "$bad" ] || { echo "==> build matrix: FAILED:$bad" >&2; return 1; }
}

stage "build (gcc) + ctest" default_build
stage "valgrind: ctest -L unit" valgrind_unit
stage "build-asan + ctest -LE vm|fuzz" asan_build
stage "build-clang" clang_build
stage "build matrix" matrix_build

if [ -n "$failed" ]; then
	echo "scripts/test.sh: FAILED:$failed" >&2
	exit 1
fi
echo "scripts/test.sh: all stages passed" >&2
