#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# `sca profile-gen` without privileges: generated profiles compared with
# expected files, per-arch names (i386 39 is mkdir), filters, --per-container,
# --diff, and bad input.
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
"$SCA" profile-gen a.trace -o a.yaml --name web --namespace shop 2>/dev/null || fail "spo: exit $?"
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
"$SCA" record --import "$DATA/audit/audit.log" -o imp.trace 2>/dev/null
"$SCA" profile-gen imp.trace --comm my_comm --allow-denied >compat.json 2>/dev/null || fail "compat: exit $?"
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
