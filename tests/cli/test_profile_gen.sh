#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# `sca profile-gen` without privileges: generated profiles compared with
# expected files, per-arch names (i386 39 is mkdir), filters, --per-container,
# --diff, the syscall source's calls (the container cut, calls without a
# process, --strict), and bad input.
#
# usage: test_profile_gen.sh PATH/TO/sca PATH/TO/synth_trace DATA_DIR
# With UPDATE_GOLDEN=1 the expected files are rewritten instead.
set -u
SCA=$1 SYNTH=$2 DATA=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
failed=0 checks=0
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

"$SYNTH" -n 3000 -s 42 -H host-a -o a.trace

# golden NAME FILE: FILE must equal the expected NAME
golden() {
	checks=$((checks + 1))
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$2" "$DATA/profile-gen/$1"
	elif ! diff -u "$DATA/profile-gen/$1" "$2" >&2; then
		fail "$1: differs from $DATA/profile-gen/$1"
	fi
}

"$SCA" profile-gen a.trace >a.json 2>a.err || fail "oci: exit $?"
golden a.json a.json
golden a.notes a.err
# a directory stands for its *.trace files
checks=$((checks + 1))
mkdir set
cp a.trace set/r.0001.trace
"$SCA" profile-gen set >set.json 2>/dev/null && cmp -s a.json set.json || fail "profile-gen DIR differs from its trace"
"$SCA" profile-gen a.trace -o a.yaml --name web --namespace shop --spo-api v1beta1 2>/dev/null ||
	fail "spo: exit $?"
golden web-shop.yaml a.yaml
# deterministic: the same input gives the same bytes
"$SCA" profile-gen a.trace 2>/dev/null | cmp -s - a.json || fail "a second run differs"
checks=$((checks + 3))

# Every allowed name is a syscall the trace shows allowed (log), per arch.
checks=$((checks + 1))
"$SCA" inspect --events a.trace | awk '/^[0-9][0-9][0-9][0-9]-/ && $7 == "log" { print $6 }' | sort -u >seen.txt
sed -n 's/^\t*"\([a-z0-9_]*\)",*$/\1/p' a.json | grep -v '^SCMP' | sort -u >allowed.txt
diff seen.txt allowed.txt >&2 || fail "allowed names differ from the syscalls seen logged"

# i386 syscall 39 is mkdir, x86_64 39 is getpid: the profile must say mkdir
# and list SCMP_ARCH_X86.
checks=$((checks + 1))
# (that line is node=web1's: it has a trace of its own, imp.web1.trace)
"$SCA" record --import "$DATA/audit/audit.log" -o imp.trace 2>/dev/null
"$SCA" profile-gen imp.trace imp.web1.trace --comm my_comm --allow-denied >compat.json 2>/dev/null ||
	fail "compat: exit $?"
grep -q '"mkdir"' compat.json && grep -q SCMP_ARCH_X86\" compat.json && ! grep -q '"getpid"' compat.json ||
	{ cat compat.json >&2; fail "compat: i386 39 not mkdir under SCMP_ARCH_X86"; }

# Filters and one profile per container.
checks=$((checks + 1))
"$SCA" profile-gen a.trace --container redis 2>/dev/null >redis.json || fail "--container: exit $?"
"$SCA" profile-gen a.trace --per-container pc 2>pc.err || fail "--per-container: exit $?"
[ "$(ls pc | tr '\n' ' ')" = "api.json host.json redis.json web.json " ] || fail "--per-container files: $(ls pc)"
cmp -s redis.json pc/redis.json || fail "--per-container redis differs from --container redis"
# a container called "host" does not overwrite the processes in no container
checks=$((checks + 1))
"$SYNTH" -n 3000 -s 42 -H host-a -C host -o h.trace >/dev/null || fail "synth_trace -C"
"$SCA" profile-gen h.trace --per-container pch 2>pch.err || fail "--per-container (host): exit $?"
[ "$(ls pch | tr '\n' ' ')" = "api.json host-2.json host.json redis.json " ] || fail "--per-container with a container host: $(ls pch)"
grep -q "^sca profile-gen: wrote pch/host-2.json (container host; its name was taken)$" pch.err ||
	{ cat pch.err >&2; fail "--per-container: the renamed file not said"; }
"$SCA" profile-gen h.trace --container host 2>/dev/null >hostc.json || fail "--container host: exit $?"
cmp -s hostc.json pch/host-2.json || fail "host-2.json is not the container host's profile"
cmp -s pc/host.json pch/host.json || fail "host.json is not the processes in no container"
checks=$((checks + 1))
n=$("$SCA" profile-gen a.trace --pod cache-0 --format spo 2>/dev/null | grep -c '^        - "')
[ "$n" -gt 5 ] || fail "--pod: $n names"

# --diff: what the new profile adds and removes.
checks=$((checks + 1))
"$SCA" profile-gen a.trace --comm cron --diff redis.json >/dev/null 2>diff.txt || fail "--diff: exit $?"
grep -q "^sca profile-gen: against redis.json: [0-9]* syscalls added, [0-9]* removed" diff.txt ||
	{ cat diff.txt >&2; fail "--diff: no summary"; }

# Calls of the syscall source: allowed; refusals stay refused; a container
# counts only what ran under its filter (not its runtime's pivot_root).
"$SYNTH" -n 3000 -s 42 -H host-c -c -o c.trace
"$SYNTH" -n 3000 -s 42 -H host-c -c -U -o u.trace
"$SYNTH" -n 3000 -s 42 -H host-c -c -L -o l.trace
"$SCA" profile-gen c.trace --strict >c.json 2>c.err || fail "calls: exit $?"
golden calls.json c.json
golden calls.notes c.err
checks=$((checks + 1))
"$SCA" analyze c.trace --sql "SELECT DISTINCT syscall FROM ev ORDER BY 1" --format csv 2>/dev/null | tail -n +2 |
	tr -d '\r' >refused.txt
[ "$(tr '\n' ' ' <refused.txt)" = "fcntl getpid " ] || fail "calls: the refused syscalls are $(cat refused.txt)"
for s in fcntl getpid pivot_root; do
	grep -q "\"$s\"" c.json && fail "calls: $s allowed"
done
checks=$((checks + 1))
"$SCA" profile-gen c.trace --per-container cpc 2>/dev/null || fail "calls --per-container: exit $?"
[ "$(ls cpc | tr '\n' ' ')" = "api.json host.json redis.json web.json " ] && ! grep -q pivot_root cpc/*.json ||
	fail "calls --per-container: $(ls cpc), $(grep -l pivot_root cpc/*.json)"
# Calls without a process: allowed in the profile of everything, else left
# out with a warning; --strict then refuses with one line and writes nothing.
checks=$((checks + 1))
"$SCA" profile-gen u.trace -o u.json 2>u.err || fail "unattributed: exit $?"
grep -q '"ptrace"' u.json && grep -q "^sca profile-gen: note: 10 calls of getrandom, ptrace could not be attributed to a process" u.err ||
	{ cat u.err >&2; fail "unattributed: not allowed without a filter"; }
checks=$((checks + 1))
"$SCA" profile-gen u.trace --comm nginx -o un.json 2>un.err || fail "unattributed --comm: exit $?"
! grep -q '"ptrace"' un.json && grep -q "^sca profile-gen: warning: 10 calls of getrandom, ptrace could not be attributed to a process (the syscall table was full); left out, so the profile may be incomplete$" un.err ||
	{ cat un.err >&2; fail "unattributed --comm: allowed, or no warning"; }
for args in "--comm nginx -o strict.json" "--per-container strictdir" "--container web"; do
	checks=$((checks + 1))
	rc=0
	# shellcheck disable=SC2086
	"$SCA" profile-gen u.trace --strict $args >strict.out 2>strict.err || rc=$?
	[ "$rc" -eq 1 ] && [ "$(grep -vc ': denied: ' strict.err)" -eq 1 ] && [ ! -s strict.out ] &&
		[ ! -e strict.json ] && [ ! -e strictdir ] &&
		grep -q "^sca profile-gen: --strict: 10 calls of getrandom, ptrace could not be attributed to a process and the profile.* does not allow them; nothing written$" strict.err ||
		{ cat strict.err >&2; fail "--strict $args: exit $rc, want 1, one line and nothing written"; }
done
# Calls the kernel lost: a warning; --strict refuses.
checks=$((checks + 1))
"$SCA" profile-gen l.trace -o l.json 2>l.err && grep -q "^sca profile-gen: warning: the kernel did not count 5 calls (syscall source)" l.err ||
	{ cat l.err >&2; fail "lost calls: no warning"; }
checks=$((checks + 1))
rc=0
"$SCA" profile-gen l.trace --strict -o strict.json 2>strict.err || rc=$?
[ "$rc" -eq 1 ] && [ "$(wc -l <strict.err)" -eq 1 ] && [ ! -e strict.json ] &&
	grep -q "^sca profile-gen: --strict: the traces lost 0 events and 5 calls and have 0 damaged regions; the profile may be incomplete, nothing written$" strict.err ||
	{ cat strict.err >&2; fail "--strict with lost calls: exit $rc"; }
# A damaged trace is incomplete too.
checks=$((checks + 1))
size=$(wc -c <a.trace)
head -c $((size - 200)) a.trace >cut.trace
rc=0
"$SCA" profile-gen cut.trace --strict -o strict.json 2>strict.err || rc=$?
[ "$rc" -eq 1 ] && [ ! -e strict.json ] && grep -q "^sca profile-gen: --strict: .* and have 1 damaged regions" strict.err ||
	{ cat strict.err >&2; fail "--strict with a damaged trace: exit $rc"; }

# Bad input: one line (plus notes) naming the problem, exit 1, nothing written.
checks=$((checks + 1))
rc=0
"$SCA" profile-gen missing.trace -o out.json 2>err || rc=$?
[ "$rc" -eq 1 ] && grep -q "missing.trace: No such file" err && [ ! -e out.json ] || fail "missing trace: rc $rc"
checks=$((checks + 1))
rc=0
"$SYNTH" -n 0 -o empty.trace
"$SCA" profile-gen empty.trace -o out.json 2>err || rc=$?
[ "$rc" -eq 1 ] && grep -q "no events in the traces" err && [ ! -e out.json ] || { cat err >&2; fail "empty trace: rc $rc"; }
checks=$((checks + 1))
rc=0
"$SCA" profile-gen a.trace --comm nobody -o out.json 2>err || rc=$?
[ "$rc" -eq 1 ] && grep -q "no events match the filters" err || fail "no match: rc $rc"
checks=$((checks + 1))
printf '{\n  "defaultAction": "SCMP_ACT_ALLOW",\n  "syscalls": [ {"names": ["read"], "action": "SCMP_ACT_FROB"} ]\n}\n' >bad.json
rc=0
"$SCA" profile-gen a.trace --base bad.json -o out.json 2>err || rc=$?
[ "$rc" -eq 1 ] && grep -q "bad.json:3" err && [ ! -e out.json ] && [ ! -e out.json.tmp ] ||
	{ cat err >&2; fail "malformed base: rc $rc"; }
checks=$((checks + 1))
rc=0
"$SCA" profile-gen 2>err || rc=$?
[ "$rc" -eq 1 ] && grep -q "run.trace does not exist" err || fail "no trace, no run.trace: rc $rc"
checks=$((checks + 1))
cp a.trace run.trace
"$SCA" profile-gen 2>/dev/null | cmp -s - a.json || fail "./run.trace is not the default"

if [ "$failed" -ne 0 ]; then
	echo "test_profile_gen: $failed of $checks checks FAILED" >&2
	exit 1
fi
echo "test_profile_gen: all $checks checks passed"
