#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# `sca record --import`: auditd's audit.log and kernel log lines become a
# trace; other lines are skipped and counted; malformed seccomp lines are
# named by line number and not half-parsed; records of another host (node=,
# a syslog host) go to a trace of their own, with that host in its header.
# Needs no root.
set -u
SCA=$1 DATA=$2
. "$(dirname "$0")/lib.sh"

# events BASE: "time pid comm arch syscall code" of BASE.trace and each BASE.HOST.trace, sorted
events() {
	for f in "$1".trace "$1".*.trace; do
		[ -e "$f" ] && "$SCA" inspect --events "$f"
	done | awk '/^20/ { print $1, $2, $4, $5, $6, $7 }' | sort
}

# host_of TRACE: the host its header names
host_of() { "$SCA" inspect "$1" 2>/dev/null | sed -n 's/^host: *//p'; }

rc=0
"$SCA" record --import "$DATA/audit/audit.log" -o "$tmp/a.trace" 2>"$tmp/a.err" || rc=$?
[ "$rc" -eq 1 ] || fail "audit.log with a malformed line: exit $rc, want 1"
grep -q "audit.log:6: malformed seccomp record" "$tmp/a.err" || { cat "$tmp/a.err" >&2; fail "line 6 not named"; }
grep -q "7 lines, 4 seccomp records, 2 other lines skipped, 1 malformed" "$tmp/a.err" ||
	{ cat "$tmp/a.err" >&2; fail "wrong import counts"; }
"$SCA" inspect --events "$tmp/a.trace" >"$tmp/a.txt" || fail "inspect: damaged import trace"
# time pid tid comm arch syscall code
got=$(events "$tmp/a")
want="2023-11-14T22:13:20.123000000Z 4242 seed x86_64 mkdir log
2023-11-14T22:13:20.124000000Z 4242 seed x86_64 unshare kill_thread
2023-11-14T22:13:21.000000000Z 77 my_comm i386 mkdir errno(1)
2023-11-14T22:13:22.500000000Z 6 y x86_64 read kill_process"
[ "$got" = "$want" ] || { printf 'got:\n%s\nwant:\n%s\n' "$got" "$want" >&2; fail "audit.log events differ"; }
# its node=web1 line is web1's
[ "$(host_of "$tmp/a.web1.trace")" = web1 ] && [ "$(host_of "$tmp/a.trace")" = "$(uname -n)" ] ||
	fail "audit.log: node=web1 not in a trace of web1's"
"$SCA" inspect --events "$tmp/a.web1.trace" | grep -q " i386 .* mkdir " || fail "audit.log: web1's i386 mkdir not in its trace"
grep -q "source:       import" "$tmp/a.txt" || fail "trace source is not import"

rc=0
"$SCA" record --import "$DATA/audit/kern.log" -o "$tmp/k.trace" 2>"$tmp/k.err" || rc=$?
[ "$rc" -eq 1 ] || fail "kern.log: exit $rc, want 1"
grep -q "kern.log:4: malformed seccomp record" "$tmp/k.err" || { cat "$tmp/k.err" >&2; fail "kern.log line 4 not named"; }
grep -q "4 lines, 2 seccomp records, 1 other lines skipped, 1 malformed" "$tmp/k.err" ||
	{ cat "$tmp/k.err" >&2; fail "wrong kern.log counts"; }
got=$(events "$tmp/k" | cut -d' ' -f2,3,5,6)
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
grep -q ": 1 seccomp records name another host (ubuntu2004 1): each host's records are in a trace with that host" \
	"$tmp/spo.err" || { cat "$tmp/spo.err" >&2; fail "spo.log: the syslog host is not said"; }
got=$(events "$tmp/spo" | cut -d' ' -f1-3,5-)
want="2021-01-30T08:44:59.149000000Z 615549 sh write log
2021-02-02T21:01:17.115000000Z 3109464 sh read log
2021-02-17T21:11:57.899000000Z 2039886 ls close log
2021-06-24T12:24:40.360000000Z 2060394 sleep mprotect log
2021-07-08T10:31:23.502000000Z 4709 sh rt_sigaction log
2025-04-16T05:16:56.598000000Z 72503 sh clone log"
[ "$got" = "$want" ] || { printf 'got:\n%s\nwant:\n%s\n' "$got" "$want" >&2; fail "spo.log events differ"; }
[ "$(host_of "$tmp/spo.ubuntu2004.trace")" = ubuntu2004 ] || fail "spo.log: the syslog host's trace"

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
grep -q ": 5 seccomp records name another host (build-host-7 3, build-host-8 1, build-host-9 1): each host's" \
	"$tmp/j.err" || { cat "$tmp/j.err" >&2; fail "journald.log: the hosts are not said"; }
# j.trace is its first record's host's, build-host-7, in line order; the two
# bare messages (no host, no time: the import's) are this machine's, in a
# trace of its own; build-host-8's and -9's each in theirs
lines() { "$SCA" inspect --events "$1" | awk '/^20/ { print $1, $2, $4, $5, $6, $7, $8 }' | sed 's/ *$//'; }
self=""
for f in "$tmp"/j.*.trace; do [ "$(host_of "$f")" = "$(uname -n)" ] && self=$f; done
[ -n "$self" ] || fail "journald.log: no trace of this machine's for the bare messages"
lines "$self" >"$tmp/j.txt"
for n in 1 2; do
	t=$(sed -n "${n}p" "$tmp/j.txt" | cut -c1-19)
	[ "$t" \> "$before" ] || [ "$t" = "$before" ] || fail "journald.log: bare message $n: time $t is not the import's"
done
[ "$(cut -d' ' -f2- "$tmp/j.txt")" = "4242 my comm x86_64 mkdir log
4243 seed x86_64 unshare kill_thread" ] || { cat "$tmp/j.txt" >&2; fail "journald.log: the bare messages"; }
[ "$(host_of "$tmp/j.trace")" = build-host-7 ] || fail "journald.log: j.trace is not build-host-7's"
lines "$tmp/j.trace" >"$tmp/j7.txt"
got=$(awk 'NR != 2' "$tmp/j7.txt")
want="2023-11-28T01:02:03.000000000Z 8401 Lazy Idle x86_64 ptrace errno(1)
2023-11-28T01:02:06.000000000Z 3180 sh x86_64 rt_sigaction log"
[ "$got" = "$want" ] || { printf 'got:\n%s\nwant:\n%s\n' "$got" "$want" >&2; fail "journald.log: build-host-7's events"; }
sed -n 2p "$tmp/j7.txt" | grep -Eq "^[0-9]{4}-11-28T01:02:04.000000000Z 8401 Lazy Idle x86_64 clone log" ||
	{ cat "$tmp/j7.txt" >&2; fail "journald.log: the year-less line's time"; }
[ "$(lines "$tmp/j.build-host-8.trace")" = "2023-11-28T01:02:05.123456000Z 77 runc:[2:INIT] x86_64 mkdir log" ] &&
	[ "$(lines "$tmp/j.build-host-9.trace")" = "2023-11-28T01:02:07.500000000Z 2039886 ls x86_64 close log" ] ||
	fail "journald.log: build-host-8's and -9's events"
for n in 8 9; do
	[ "$(host_of "$tmp/j.build-host-$n.trace")" = "build-host-$n" ] || fail "journald.log: build-host-$n's header"
done
[ ! -e "$tmp/j.build-host-7.trace" ] || fail "journald.log: build-host-7 in two traces"

# A log of one host keeps one trace, with that host in its header.
grep "build-host-8" "$DATA/audit/journald.log" >"$tmp/one.log"
"$SCA" record --import "$tmp/one.log" -o "$tmp/one.trace" 2>/dev/null || fail "one host's log"
[ "$(host_of "$tmp/one.trace")" = build-host-8 ] && [ "$(ls "$tmp"/one.*trace | wc -l)" -eq 1 ] ||
	fail "one host's log: not one trace of build-host-8's"

# All into analyze: every imported record counted, each under its host.
h=$(uname -n)
got=$("$SCA" analyze "$tmp"/spo*.trace "$tmp"/j*.trace --by host,syscall --format csv 2>/dev/null |
	tr -d '\r' | cut -d, -f1-4 | sort)
want=$(printf '%s\n' host,syscall,code,count build-host-7,clone,log,1 build-host-7,ptrace,errno\(1\),1 \
	build-host-7,rt_sigaction,log,1 build-host-8,mkdir,log,1 build-host-9,close,log,1 \
	ubuntu2004,rt_sigaction,log,1 "$h,clone,log,1" "$h,close,log,1" "$h,mkdir,log,1" "$h,mprotect,log,1" \
	"$h,read,log,1" "$h,unshare,kill_thread,1" "$h,write,log,1" | sort)
[ "$got" = "$want" ] || { printf 'got:\n%s\nwant:\n%s\n' "$got" "$want" >&2; fail "analyze --by host,syscall"; }
# a host is what the line says: said escaped, and its trace's file name made safe
esc=$(printf '\033')
rec='type=SECCOMP msg=audit(1700000001.000:1004): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=9 comm="a" exe="/bin/a" sig=0 arch=c000003e syscall=39 compat=0 ip=0x1 code=0x7ffc0000'
printf '%s\nnode=%s]0;x\a/../up %s\n' "$rec" "$esc" "$rec" >"$tmp/evil.log"
mkdir "$tmp/evil"
"$SCA" record --import "$tmp/evil.log" -o "$tmp/evil/e.trace" 2>"$tmp/evil.err" || fail "a hostile host's log"
! grep -q "$esc" "$tmp/evil.err" && grep -q 'another host (\\x1b\]0;x\\x07/\.\./up 1)' "$tmp/evil.err" ||
	{ cat -v "$tmp/evil.err" >&2; fail "a hostile host name printed raw"; }
[ "$(ls "$tmp/evil" | wc -l)" -eq 2 ] && [ ! -e "$tmp/up.trace" ] && ! ls "$tmp/evil" | grep -q "[$esc/]" ||
	{ ls "$tmp/evil" | cat -v >&2; fail "a hostile host name in a file name"; }

# without -o there are no traces: the hosts are said, and that -o would keep them apart
"$SCA" record --import "$DATA/audit/audit.log" --json >/dev/null 2>"$tmp/p.err"
grep -q "written with it (-o writes each host's into a trace of its own)" "$tmp/p.err" ||
	{ cat "$tmp/p.err" >&2; fail "--import without -o: the hosts"; }
echo "PASS: import"
