#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Test the sca command line: exit codes, what goes to stdout and to stderr.
#
# usage: test_cli.sh PATH/TO/sca VERSION PATH/TO/synth_trace
#
# Every failed check prints a FAIL line with what was expected and what came
# out; the script exits 1 if any check failed.
set -u

if [ $# -ne 3 ]; then
	echo "usage: $0 PATH/TO/sca VERSION PATH/TO/synth_trace" >&2
	exit 2
fi
SCA=$1
VERSION=$2
SYNTH=$3

if [ ! -x "$SCA" ]; then
	echo "FAIL: $SCA is not an executable" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

checks=0
failed=0
out=$tmp/stdout
err=$tmp/stderr
rc=0

# run ARGS...: run sca, keeping its stdout, stderr and exit code.
run() {
	last="sca $*"
	rc=0
	"$SCA" "$@" >"$out" 2>"$err" </dev/null || rc=$?
}

fail() {
	failed=$((failed + 1))
	echo "FAIL: $last: $*" >&2
	echo "  --- exit code: $rc" >&2
	echo "  --- stdout:" >&2
	sed 's/^/  | /' "$out" >&2
	echo "  --- stderr:" >&2
	sed 's/^/  | /' "$err" >&2
}

expect_rc() {
	checks=$((checks + 1))
	[ "$rc" -eq "$1" ] || fail "expected exit code $1, got $rc"
}

expect_stdout_has() {
	checks=$((checks + 1))
	grep -qF -- "$1" "$out" || fail "stdout lacks '$1'"
}

expect_stdout_line1() {
	checks=$((checks + 1))
	[ "$(sed -n 1p "$out")" = "$1" ] || fail "first stdout line is not '$1'"
}

expect_stdout_empty() {
	checks=$((checks + 1))
	[ ! -s "$out" ] || fail "expected empty stdout"
}

expect_stderr_empty() {
	checks=$((checks + 1))
	[ ! -s "$err" ] || fail "expected empty stderr"
}

# expect_stderr_line TEXT: stderr is exactly one line, equal to TEXT.
expect_stderr_line() {
	checks=$((checks + 1))
	n=$(wc -l <"$err")
	if [ "$n" -ne 1 ]; then
		fail "expected one stderr line, got $n"
	elif [ "$(cat "$err")" != "$1" ]; then
		fail "expected stderr '$1'"
	fi
}

# expect_stderr_one_line: stderr is exactly one line starting with "sca".
expect_stderr_one_line() {
	checks=$((checks + 1))
	n=$(wc -l <"$err")
	if [ "$n" -ne 1 ]; then
		fail "expected one stderr line, got $n"
	else
		case $(cat "$err") in
		sca*) ;;
		*) fail "stderr line does not start with 'sca'" ;;
		esac
	fi
}

# Help: the command list, exit 0.
for args in "--help" "-h" "help"; do
	# shellcheck disable=SC2086
	run $args
	expect_rc 0
	expect_stdout_has "record"
	expect_stdout_has "analyze"
	expect_stdout_has "profile-gen"
	expect_stdout_has "version"
	expect_stderr_empty
done

run help record
expect_rc 0
expect_stdout_has "usage: sca record"
expect_stdout_has "--import LOGFILE"
checks=$((checks + 1))
grep -q "NOT BUILT" "$out" && fail "record is built: its help must not say otherwise"

run help analyze
expect_rc 0
expect_stdout_has "usage: sca analyze"

# record: usage errors are one stderr line and exit 2, before anything runs.
for args in "--bogus" "--duration abc" "--duration 5x" "--columns pid,nope" "--code frob" \
	"--pid 0" "--pid abc" "--rcvbuf 12" "--ringbuf 1" "--source carrier-pigeon" "--profile p.json" \
	"stray-arg" "--import x.log -- true" "--import x.log --container web" \
	"--host --pod mypod" "--runtime-root nonsense" "--force" "--rotate 20K" "--rotate-time 1m" \
	"-o x.trace --rotate 1K" "-o x.trace --rotate 20X" "-o x.trace --rotate -5" \
	"-o x.trace --rotate-time 100ms" "-o x.trace --rotate-time soon" \
	"--all-syscalls -- true" "--all-syscalls --import x.log" "--learn syscalls" \
	"--learn maybe -- true" "--syscall-table 100000" "--all-syscalls --syscall-table 10" \
	"--all-syscalls --syscall-table 9999999" "--all-syscalls --syscall-table -1"; do
	# shellcheck disable=SC2086
	run record $args
	expect_rc 2
	expect_stdout_empty
	expect_stderr_one_line
done
run record --help
expect_rc 0
expect_stdout_has "usage: sca record"
expect_stderr_empty

run help frobnicate
expect_rc 2
expect_stdout_empty
expect_stderr_one_line

# Version.
for args in "version" "--version"; do
	run $args
	expect_rc 0
	expect_stdout_line1 "sca $VERSION"
	expect_stdout_has "libbpf "
	expect_stdout_has "libzstd "
	expect_stdout_has "libseccomp "
	expect_stdout_has "sqlite "
	expect_stderr_empty
done

run version extra
expect_rc 2
expect_stderr_one_line

# Usage errors: one line on stderr, exit 2.
run frobnicate
expect_rc 2
expect_stdout_empty
expect_stderr_one_line

run
expect_rc 2
expect_stdout_empty
expect_stderr_one_line

run --frobnicate
expect_rc 2
expect_stdout_empty
expect_stderr_one_line

# profile-gen: usage errors are one line and exit 2.
for args in "--bogus" "--format xml" "--default-action allow" "--default-action errno(x)" \
	"--pid 0" "--verify" "t.trace -- true" "--per-container d -o x.json" "--verify --"; do
	# shellcheck disable=SC2086
	run profile-gen $args
	expect_rc 2
	expect_stdout_empty
	expect_stderr_one_line
done
run profile-gen --help
expect_rc 0
expect_stdout_has "usage: sca profile-gen"

# inspect: a whole trace, a truncated one, a damaged one, not a trace.
"$SYNTH" -n 70000 -o "$tmp/t.trace"
run inspect "$tmp/t.trace"
expect_rc 0
expect_stdout_has "events:       70000"
expect_stdout_has "chunks:       2 read, 0 skipped"
expect_stdout_has "damage:       none"
expect_stdout_has "closed:       cleanly (footer: 70000 events"
expect_stderr_empty

run inspect --events "$tmp/t.trace"
expect_rc 0
checks=$((checks + 1))
[ "$(grep -c ' log' "$out")" -gt 60000 ] || fail "expected most of 70000 events to print as log"
expect_stdout_has " nginx "

# Cut inside the second chunk: the first chunk's 65536 events survive.
size=$(wc -c <"$tmp/t.trace")
head -c $((size - 100)) "$tmp/t.trace" >"$tmp/cut.trace"
run inspect "$tmp/cut.trace"
expect_rc 1
expect_stdout_has "events:       65536"
expect_stdout_has "damage:       truncated at offset"
expect_stdout_has "closed:       no"

# A flipped byte in the first chunk's payload: only the second chunk reads.
cp "$tmp/t.trace" "$tmp/flip.trace"
printf '\377' | dd of="$tmp/flip.trace" bs=1 seek=4000 conv=notrunc 2>/dev/null
run inspect "$tmp/flip.trace"
expect_rc 1
expect_stdout_has "events:       4464"
expect_stdout_has "damage:       checksum mismatch at offset"

echo "not a trace" >"$tmp/text.trace"
run inspect "$tmp/text.trace"
expect_rc 1
expect_stdout_empty
expect_stderr_line "sca inspect: $tmp/text.trace: not an sca trace"

run inspect "$tmp/missing.trace"
expect_rc 1
expect_stderr_line "sca inspect: $tmp/missing.trace: No such file or directory"

run inspect
expect_rc 2
expect_stderr_one_line

run inspect --bogus "$tmp/t.trace"
expect_rc 2
expect_stdout_empty
expect_stderr_one_line

# inspect: counted calls (format 1.1) in stream order with an event and a
# lost record, from a trace written by another hand than the library's.
if command -v python3 >/dev/null; then
	python3 "$(dirname "$0")/calls_trace.py" "$tmp/calls.trace"
	run inspect "$tmp/calls.trace"
	expect_rc 0
	expect_stdout_has "format:       1.1"
	expect_stdout_has "events:       1"
	expect_stdout_has "calls:        57 (3 CALLS records)"
	expect_stdout_has "time span:    2023-11-14T22:13:20.123456789Z .. 2023-11-14T22:13:20.123459789Z"
	expect_stdout_has "closed:       cleanly (footer: 1 events, 3 lost, 1 chunks, 3 CALLS records)"
	expect_stdout_has "damage:       none"
	run inspect --events "$tmp/calls.trace"
	expect_rc 0
	checks=$((checks + 1))
	[ "$(awk '/^2023/ { print ($2 == "LOST" ? $2 $3 : $6 $7 $8) }' "$out" | tr '\n' ' ')" = \
		"ptraceerrno(1) readcalls42 writecalls8 openatcalls7 LOST3 " ] ||
		fail "expected the event, the calls and the lost record in stream order"
	expect_stdout_has "    1234    1236 cat              x86_64  read                 calls 42 filtered"
	expect_stdout_has "      77      77 \\x1b]0;PWNED\\x07 x86_64  write                calls 8"
	expect_stdout_has "       0       0 ?                x86_64  openat               calls 7 (process unknown)"
	checks=$((checks + 1))
	! grep -q "$(printf '\033')" "$out" || fail "a comm's ESC reached the terminal"
	# The other readers do not take calls for events: read as one, a count
	# has code 0, which is kill_thread.
	run analyze "$tmp/calls.trace"
	expect_rc 0
	expect_stdout_has "1 events, 3 lost"
	checks=$((checks + 1))
	! grep -q kill_thread "$out" || fail "analyze shows calls as killed events"
	run profile-gen "$tmp/calls.trace" -o "$tmp/calls.json"
	expect_rc 0
	checks=$((checks + 1))
	! grep -q kill_thread "$err" || fail "profile-gen takes calls for killed events"
fi

if [ "$failed" -ne 0 ]; then
	echo "test_cli: $failed of $checks checks FAILED" >&2
	exit 1
fi
echo "test_cli: all $checks checks passed"
