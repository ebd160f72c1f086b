#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# `sca record --import`: auditd's audit.log and kernel log lines become a
# trace; other lines are skipped and counted; malformed seccomp lines are
# named by line number and not half-parsed. Needs no root.
set -u
SCA=$1 DATA=$2
. "$(dirname "$0")/lib.sh"

rc=0
"$SCA" record --import "$DATA/audit/audit.log" -o "$tmp/a.trace" 2>"$tmp/a.err" || rc=$?
[ "$rc" -eq 1 ] || fail "audit.log with a malformed line: exit $rc, want 1"
grep -q "audit.log:6: malformed seccomp record" "$tmp/a.err" || { cat "$tmp/a.err" >&2; fail "line 6 not named"; }
grep -q "7 lines, 4 seccomp records, 2 other lines skipped, 1 malformed" "$tmp/a.err" ||
	{ cat "$tmp/a.err" >&2; fail "wrong import counts"; }
"$SCA" inspect --events "$tmp/a.trace" >"$tmp/a.txt" || fail "inspect: damaged import trace"
# time pid tid comm arch syscall code
got=$(awk '/^20/ { print $1, $2, $4, $5, $6, $7 }' "$tmp/a.txt")
want="2023-11-14T22:13:20.123000000Z 4242 seed x86_64 mkdir log
2023-11-14T22:13:20.124000000Z 4242 seed x86_64 unshare kill_thread
2023-11-14T22:13:21.000000000Z 77 my_comm i386 mkdir errno(1)
2023-11-14T22:13:22.500000000Z 6 y x86_64 read kill_process"
[ "$got" = "$want" ] || { printf 'got:\n%s\nwant:\n%s\n' "$got" "$want" >&2; fail "audit.log events differ"; }
grep -q "source:       import" "$tmp/a.txt" || fail "trace source is not import"

rc=0
"$SCA" record --import "$DATA/audit/kern.log" -o "$tmp/k.trace" 2>"$tmp/k.err" || rc=$?
[ "$rc" -eq 1 ] || fail "kern.log: exit $rc, want 1"
grep -q "kern.log:4: malformed seccomp record" "$tmp/k.err" || { cat "$tmp/k.err" >&2; fail "kern.log line 4 not named"; }
grep -q "4 lines, 2 seccomp records, 1 other lines skipped, 1 malformed" "$tmp/k.err" ||
	{ cat "$tmp/k.err" >&2; fail "wrong kern.log counts"; }
got=$("$SCA" inspect --events "$tmp/k.trace" | awk '/^20/ { print $2, $4, $6, $7 }')
want="3180 runc:[2:INIT] mkdir log
3181 sh unshare kill_process"
[ "$got" = "$want" ] || { printf 'got:\n%s\n' "$got" >&2; fail "kern.log events differ"; }

# A clean log exits 0; stdin works; a missing file is one line and exit 1.
grep -v "syscall=$" "$DATA/audit/audit.log" | "$SCA" record --import - -o "$tmp/s.trace" 2>"$tmp/s.err" ||
	{ cat "$tmp/s.err" >&2; fail "clean import from stdin failed"; }
rc=0
"$SCA" record --import "$tmp/nope.log" -o "$tmp/n.trace" 2>"$tmp/n.err" || rc=$?
[ "$rc" -eq 1 ] && grep -q "nope.log: No such file" "$tmp/n.err" || fail "missing import file: rc $rc"
echo "PASS: import"
