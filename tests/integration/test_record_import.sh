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

# The Security Profiles Operator's enricher test lines: the kernel's, auditd's
# with its 0x1d separator lost or turned into a space, other records, and
# three seccomp lines that do not parse (tests/data/audit/ORIGINS).
rc=0
"$SCA" record --import "$DATA/audit/spo.log" -o "$tmp/spo.trace" 2>"$tmp/spo.err" || rc=$?
[ "$rc" -eq 1 ] || { cat "$tmp/spo.err" >&2; fail "spo.log: exit $rc, want 1"; }
for n in 10 11 12; do
	grep -q "spo.log:$n: malformed seccomp record" "$tmp/spo.err" ||
		{ cat "$tmp/spo.err" >&2; fail "spo.log line $n not named"; }
done
grep -q "12 lines, 6 seccomp records, 3 other lines skipped, 3 malformed" "$tmp/spo.err" ||
	{ cat "$tmp/spo.err" >&2; fail "wrong spo.log counts"; }
grep -q "warning: 1 seccomp records name another host (ubuntu2004 1)" "$tmp/spo.err" ||
	{ cat "$tmp/spo.err" >&2; fail "spo.log: the syslog host is not said"; }
got=$("$SCA" inspect --events "$tmp/spo.trace" | awk '/^20/ { print $1, $2, $4, $6, $7 }')
want="2021-01-30T08:44:59.149000000Z 615549 sh write log
2021-07-08T10:31:23.502000000Z 4709 sh rt_sigaction log
2021-02-17T21:11:57.899000000Z 2039886 ls close log
2025-04-16T05:16:56.598000000Z 72503 sh clone log
2021-06-24T12:24:40.360000000Z 2060394 sleep mprotect log
2021-02-02T21:01:17.115000000Z 3109464 sh read log"
[ "$got" = "$want" ] || { printf 'got:\n%s\nwant:\n%s\n' "$got" "$want" >&2; fail "spo.log events differ"; }

# journald's form, prefixed or alone; a kernel line and a node= line beside it.
# The year-less stamp (line 2) is read as local time: UTC here.
rc=0
before=$(date -u +%Y-%m-%dT%H:%M:%S)
TZ=UTC "$SCA" record --import "$DATA/audit/journald.log" -o "$tmp/j.trace" 2>"$tmp/j.err" || rc=$?
[ "$rc" -eq 1 ] || { cat "$tmp/j.err" >&2; fail "journald.log: exit $rc, want 1"; }
for n in 9 10; do
	grep -q "journald.log:$n: malformed seccomp record" "$tmp/j.err" ||
		{ cat "$tmp/j.err" >&2; fail "journald.log line $n not named"; }
done
grep -q "10 lines, 7 seccomp records, 1 other lines skipped, 2 malformed" "$tmp/j.err" ||
	{ cat "$tmp/j.err" >&2; fail "wrong journald.log counts"; }
grep -q ": 2 seccomp records carry no time .*: they have the import time" "$tmp/j.err" ||
	{ cat "$tmp/j.err" >&2; fail "journald.log: the untimed records are not said"; }
grep -q ": 1 seccomp records are timed without a year" "$tmp/j.err" ||
	{ cat "$tmp/j.err" >&2; fail "journald.log: the year-less time is not said"; }
grep -q "warning: 5 seccomp records name another host (build-host-7 3, build-host-8 1, build-host-9 1)" \
	"$tmp/j.err" || { cat "$tmp/j.err" >&2; fail "journald.log: the hosts are not said"; }
"$SCA" inspect --events "$tmp/j.trace" | awk '/^20/ { print $1, $2, $4, $5, $6, $7, $8 }' |
	sed 's/ *$//' >"$tmp/j.txt"
got=$(awk 'NR != 2 && NR != 4 && NR != 5' "$tmp/j.txt")
want="2023-11-28T01:02:03.000000000Z 8401 Lazy Idle x86_64 ptrace errno(1)
2023-11-28T01:02:05.123456000Z 77 runc:[2:INIT] x86_64 mkdir log
2023-11-28T01:02:06.000000000Z 3180 sh x86_64 rt_sigaction log
2023-11-28T01:02:07.500000000Z 2039886 ls x86_64 close log"
[ "$got" = "$want" ] || { printf 'got:\n%s\nwant:\n%s\n' "$got" "$want" >&2; fail "journald.log events differ"; }
sed -n 2p "$tmp/j.txt" | grep -Eq "^[0-9]{4}-11-28T01:02:04.000000000Z 8401 Lazy Idle x86_64 clone log" ||
	{ cat "$tmp/j.txt" >&2; fail "journald.log: the year-less line's time"; }
for n in 4 5; do
	t=$(sed -n "${n}p" "$tmp/j.txt" | cut -c1-19)
	[ "$t" \> "$before" ] || [ "$t" = "$before" ] || fail "journald.log line $n: time $t is not the import's"
done
[ "$(sed -n 4p "$tmp/j.txt" | cut -d' ' -f2-)" = "4242 my comm x86_64 mkdir log" ] &&
	[ "$(sed -n 5p "$tmp/j.txt" | cut -d' ' -f2-)" = "4243 seed x86_64 unshare kill_thread" ] ||
	{ cat "$tmp/j.txt" >&2; fail "journald.log: the bare messages"; }

# Both into analyze: every imported record counted; the host is the trace's.
h=$(uname -n)
got=$("$SCA" analyze "$tmp/spo.trace" "$tmp/j.trace" --by host,syscall --format csv 2>/dev/null |
	cut -d, -f1-4 | sort)
want=$(printf '%s\n' host,syscall,code,count "$h,clone,log,2" "$h,close,log,2" "$h,mkdir,log,2" \
	"$h,rt_sigaction,log,2" "$h,mprotect,log,1" "$h,ptrace,errno(1),1" "$h,read,log,1" \
	"$h,unshare,kill_thread,1" "$h,write,log,1" | sort)
[ "$got" = "$want" ] || { printf 'got:\n%s\nwant:\n%s\n' "$got" "$want" >&2; fail "analyze --by host,syscall"; }
echo "PASS: import"
