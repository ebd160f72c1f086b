#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The syscall source: every syscall of the selected processes counted in the
# kernel on sys_enter. Exact counts for dd, whose learnt profile then runs it
# under --verify; i386 calls named as i386; a running process tree learnt
# with --all-syscalls --pid, a busy process beside it left out; --comm
# selected in the kernel; a table too small for a fork storm keeps every
# syscall's exact count and says which process it lost; --profile puts
# allowed calls and audited refusals in one trace; --learn log-all still
# learns through the audit path.
set -u
SCA=$1 COMPAT=$2
. "$(dirname "$0")/lib.sh"
need_root
command -v jq >/dev/null || skip "jq not installed (scripts/deps.sh installs it)"

# calls_of JSONL SYSCALL: the sum of the CALLS records' counts for SYSCALL
calls_of() {
	jq -r --arg s "$2" 'select(.count != null and .syscall == $s) | .count' "$1" |
		awk '{ n += $1 } END { print n + 0 }'
}

# 1. dd: 300,000 reads and writes, counted exactly, no learning filter.
rc=0
"$SCA" record --json --print -o "$tmp/dd.trace" -- dd if=/dev/zero of=/dev/null bs=512 count=300000 \
	>"$tmp/dd.json" 2>"$tmp/dd.log" || rc=$?
[ "$rc" -eq 0 ] || { cat "$tmp/dd.log" >&2; fail "record -- dd exited $rc"; }
grep -q "every syscall from the sys_enter tracepoint, no filter added" "$tmp/dd.log" ||
	{ cat "$tmp/dd.log" >&2; fail "record -- dd did not say it learns from the tracepoint"; }
r=$(calls_of "$tmp/dd.json" read) w=$(calls_of "$tmp/dd.json" write)
[ "$r" -ge 300000 ] && [ "$r" -le 300010 ] || fail "dd: $r reads counted, want 300000 and dd's few own"
[ "$w" -ge 300000 ] && [ "$w" -le 300010 ] || fail "dd: $w writes counted, want 300000 and dd's few own"
# no audit event: nothing of ours logged a syscall
n=$(jq -r 'select(.count == null and .syscall != null)' "$tmp/dd.json" | grep -c . || true)
[ "$n" -eq 0 ] || fail "dd: $n audit events, want none without a learning filter"
# the profile learnt from it runs dd again without a refusal
"$SCA" profile-gen "$tmp/dd.trace" -o "$tmp/dd-profile.json" --verify -- \
	dd if=/dev/zero of=/dev/null bs=512 count=300000 2>"$tmp/v.log" ||
	{ cat "$tmp/v.log" >&2; fail "profile-gen --verify -- dd"; }
grep -q -- "--verify: dd exited with status 0; 0 refusals" "$tmp/v.log" || { cat "$tmp/v.log" >&2; fail "dd: --verify said"; }
sum=$(sed -n 's/^sca record: syscall source: \([0-9]*\) calls.*/\1/p' "$tmp/dd.log")
all=$(jq -r 'select(.count != null) | .count' "$tmp/dd.json" | awk '{ n += $1 } END { print n }')
[ "$sum" = "$all" ] || fail "dd: the summary says $sum calls, the records $all"

# 2. i386: an int $0x80 mkdir is i386 mkdir (x86_64 39 would be getpid).
rm -rf "$tmp/cdir"
"$SCA" record --json -- "$COMPAT" "$tmp/cdir" >"$tmp/c.out" 2>"$tmp/c.log" ||
	{ cat "$tmp/c.log" >&2; fail "record -- compat failed"; }
grep '^{' "$tmp/c.out" >"$tmp/c.json"    # compat prints its pid too
jq -e -s 'map(select(.count != null and .arch == "i386" and .syscall == "mkdir" and .nr == 39
	and .compat == true)) | length == 1' "$tmp/c.json" >/dev/null ||
	{ grep i386 "$tmp/c.json" >&2; fail "compat: no i386 mkdir call record"; }
jq -e -s 'map(select(.count != null and .arch == "x86_64" and .syscall == "unshare")) | length == 1' \
	"$tmp/c.json" >/dev/null || fail "compat: no x86_64 unshare call record"

# 3. A running tree: --all-syscalls --pid P learns P and the children it
# starts (ls), not a busy process beside it.
sh -c 'while :; do ls / >/dev/null; sleep 0.1; done' &
tree=$!
bg_pids="$bg_pids $tree"
sh -c 'while :; do cat /proc/self/stat >/dev/null; done' &
busy=$!
bg_pids="$bg_pids $busy"
"$SCA" record --all-syscalls --pid "$tree" --duration 2 --json >"$tmp/t.json" 2>"$tmp/t.log" ||
	{ cat "$tmp/t.log" >&2; fail "record --all-syscalls --pid failed"; }
# --comm selects in the kernel: only ls's calls, none of the shell's or cat's
"$SCA" record --all-syscalls --comm ls --duration 1.5 --json >"$tmp/k.json" 2>"$tmp/k.log" ||
	{ cat "$tmp/k.log" >&2; fail "record --all-syscalls --comm failed"; }
kill "$tree" "$busy" 2>/dev/null
jq -e -s 'map(select(.count != null and .comm == "ls" and .syscall == "getdents64")) | length > 0' \
	"$tmp/k.json" >/dev/null || fail "--comm ls: no getdents64 of ls"
n=$(jq -r 'select(.count != null and .comm != "ls")' "$tmp/k.json" | grep -c . || true)
[ "$n" -eq 0 ] || fail "--comm ls: $n records of other commands"
jq -e -s 'map(select(.count != null and .comm == "ls" and .syscall == "getdents64")) | length > 0' \
	"$tmp/t.json" >/dev/null || fail "--pid tree: no getdents64 of the tree's ls"
jq -e -s --argjson p "$tree" 'map(select(.count != null and .pid == $p and .syscall == "wait4")) | length > 0' \
	"$tmp/t.json" >/dev/null || fail "--pid tree: no wait4 of the tree's shell"
n=$(jq -r 'select(.count != null and .comm == "cat")' "$tmp/t.json" | grep -c . || true)
[ "$n" -eq 0 ] || fail "--pid tree: $n records of the busy process outside the tree"

# 4. A table too small: 500 processes in a 256-entry table. The counts of
# execve and exit_group are the same as with room enough; the calls that
# found it full are said to be without a process.
storm='i=0; while [ $i -lt 500 ]; do /bin/true; i=$((i + 1)); done'
"$SCA" record --json -- sh -c "$storm" >"$tmp/big.json" 2>"$tmp/big.log" || fail "storm, big table"
"$SCA" record --json --print -o "$tmp/small.trace" --syscall-table 256 -- sh -c "$storm" \
	>"$tmp/small.json" 2>"$tmp/small.log" || fail "storm, small table"
for s in execve exit_group; do
	a=$(calls_of "$tmp/big.json" $s) b=$(calls_of "$tmp/small.json" $s)
	[ "$a" -ge 501 ] && [ "$a" = "$b" ] || fail "storm: $s counted $a with room, $b without"
done
grep -q "calls found the syscall table full" "$tmp/small.log" || fail "storm: no warning of a full table"
jq -e -s 'map(select(.count != null and .pid == 0)) | length > 0' "$tmp/small.json" >/dev/null ||
	fail "storm: no call record without a process"
# profile-gen says so; for one command of the tree the profile may be
# incomplete, and --strict refuses to write it
"$SCA" profile-gen "$tmp/small.trace" -o "$tmp/s-all.json" 2>"$tmp/g.log" || fail "storm: profile-gen"
grep -q "could not be attributed to a process" "$tmp/g.log" || fail "storm: profile-gen said nothing of it"
"$SCA" profile-gen "$tmp/small.trace" --comm true -o "$tmp/s-true.json" 2>"$tmp/g.log" ||
	fail "storm: profile-gen --comm true"
grep -q "may be incomplete" "$tmp/g.log" || fail "storm: no warning that the profile may be incomplete"
rc=0
"$SCA" profile-gen "$tmp/small.trace" --comm true --strict -o "$tmp/s-strict.json" 2>"$tmp/g.log" || rc=$?
[ "$rc" -eq 1 ] && [ ! -e "$tmp/s-strict.json" ] || fail "storm: --strict exited $rc or wrote the profile"

# 5. --profile: what it refuses is audited, what it allows counted, in one trace.
cat >"$tmp/p.json" <<'P'
{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
P
rc=0
"$SCA" record --json --profile "$tmp/p.json" -- sh -c "mkdir $tmp/nope; ls / >/dev/null" \
	>"$tmp/p.out" 2>"$tmp/p.log" || rc=$?
grep -q "refusals from the" "$tmp/p.log" || { cat "$tmp/p.log" >&2; fail "--profile: no line saying how"; }
jq -e -s 'map(select(.count == null and (.syscall == "mkdir" or .syscall == "mkdirat") and
	(.code | startswith("errno")))) | length == 1' "$tmp/p.out" >/dev/null ||
	{ cat "$tmp/p.out" >&2; fail "--profile: the refused mkdir is not an audit event"; }
jq -e -s 'map(select(.count != null and .syscall == "getdents64" and .comm == "ls")) | length > 0' \
	"$tmp/p.out" >/dev/null || { jq -c "select(.syscall == \"getdents64\")" "$tmp/p.out" >&2; fail "--profile: ls's allowed calls were not counted"; }
n=$(jq -r 'select(.count != null and (.syscall == "mkdir" or .syscall == "mkdirat"))' "$tmp/p.out" | grep -c . || true)
[ "$n" -eq 0 ] || fail "--profile: a refused mkdir was counted as made"

# 6. --learn log-all: the audit path, as before.
"$SCA" record --json --learn log-all -- sh -c 'ls / >/dev/null' >"$tmp/l.json" 2>"$tmp/l.log" || fail "--learn log-all"
grep -q "under a filter that logs every syscall" "$tmp/l.log" || { cat "$tmp/l.log" >&2; fail "log-all: no line"; }
jq -e -s 'map(select(.count == null and .syscall == "getdents64" and .code == "log")) | length > 0' \
	"$tmp/l.json" >/dev/null || fail "log-all: no logged getdents64"
n=$(jq -r 'select(.count != null)' "$tmp/l.json" | grep -c . || true)
[ "$n" -eq 0 ] || fail "log-all: $n call records"

echo "PASS: syscall source (dd ${r} reads, ${w} writes; i386; --pid tree; storm; --profile; log-all)"
