#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A base's includes/excludes, resolved for runc: runc ignores them, so
# Docker's default as it is lets a container without CAP_SYS_ADMIN run
# `unshare -U`; refined for runc by profile-gen (--target runtime, no
# --caps) it must not. podman's default refined so has no name both refused
# and allowed. Both refined profiles run the recorded workload.
set -u
SCA=$1 DATA=$2
. "$(dirname "$0")/lib.sh"
need_root
need_containers


# run_in DIR: run the bundle once; its exit status
run_in() {
	rid=sca-base-$$-$(basename "$1")
	containers="$containers $rid"
	rc=0
	runc run --bundle "$1" "$rid" </dev/null >"$1.out" 2>&1 || rc=$?
	runc delete -f "$rid" >/dev/null 2>&1
	return $rc
}

work='i=0; while [ $i -lt 4 ]; do /bin/busybox ls / >/dev/null; /bin/busybox sleep 0.25; i=$((i + 1)); done'
uns='/bin/busybox unshare -U /bin/busybox true'

# ---- record the workload ---------------------------------------------
container_bundle "$tmp/rec" "$work"
id=sca-base-$$-rec
containers="$containers $id"
start_recorder /dev/null "$tmp/r.log" --all-syscalls --container "$id" --duration 3 -o "$tmp/c.trace"
runc run -d --bundle "$tmp/rec" "$id" </dev/null >"$tmp/rec.out" 2>&1 || { cat "$tmp/rec.out" >&2; fail "runc run"; }
wait "$rec_pid" || { cat "$tmp/r.log" >&2; fail "record --all-syscalls exited non-zero"; }
runc delete -f "$id" >/dev/null 2>&1

for base in moby-default podman-seccomp; do
	"$SCA" profile-gen "$tmp/c.trace" --container "$id" --base "$DATA/profiles/upstream/$base.json" \
		-o "$tmp/$base.json" 2>"$tmp/$base.err" || { cat "$tmp/$base.err" >&2; fail "profile-gen --base $base"; }
	grep -q '"includes"\|"excludes"\|"archMap"' "$tmp/$base.json" && fail "$base for runc: includes/excludes or archMap written"
	both=$(jq -r '[.syscalls[] | select((.args // []) == [])] as $u
	  | ([$u[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | unique) as $a
	  | ([$u[] | select(.action != "SCMP_ACT_ALLOW") | .names[]] | unique) as $d
	  | $a[] | select(. as $n | $d | index([$n]))' "$tmp/$base.json")
	[ -z "$both" ] || fail "$base for runc: refused and allowed: $both"
	container_bundle "$tmp/w-$base" "$work" "$tmp/$base.json"
	run_in "$tmp/w-$base" || { cat "$tmp/w-$base.out" >&2; fail "the workload under $base refined for runc exited $rc"; }
done

# Docker's default as it is: runc ignores its includes, so unshare -U runs (the test can fail)
container_bundle "$tmp/raw" "$uns" "$DATA/profiles/upstream/moby-default.json"
run_in "$tmp/raw" || { cat "$tmp/raw.out" >&2; fail "unshare -U under Docker's default in runc exited $rc: no proof"; }
# refined for runc, without CAP_SYS_ADMIN: refused
container_bundle "$tmp/u-moby" "$uns" "$tmp/moby-default.json"
run_in "$tmp/u-moby" && fail "unshare -U ran under Docker's default refined for runc"
grep -q "Operation not permitted" "$tmp/u-moby.out" || { cat "$tmp/u-moby.out" >&2; fail "unshare -U: not EPERM"; }
# podman's default allows unshare to every container; its setns is refused without CAP_SYS_ADMIN
[ "$(jq -r '[.syscalls[] | select(.names | index(["setns"])) | .action] | join(" ")' "$tmp/podman-seccomp.json")" = SCMP_ACT_ERRNO ] ||
	fail "podman refined for runc: setns is not refused alone"
echo "PASS: Docker's and podman's defaults refined for runc: unshare -U refused, no name both refused and allowed, the workload runs"
