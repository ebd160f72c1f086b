#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The seed scenario inside a real runc container (busybox-static rootfs,
# linux.seccomp in config.json), recorded system-wide.
set -u
SCA=$1
. "$(dirname "$0")/lib.sh"
need_root
need_containers

b=$tmp/bundle
busybox_bundle "$b" "/bin/busybox mkdir /tmp/seed; /bin/busybox unshare -n /bin/busybox true; exit 0" \
	'{"io.kubernetes.cri.sandbox-name": "mypod", "io.kubernetes.cri.sandbox-namespace": "myns"}'

id=sca-it-$$
start_recorder /dev/null "$tmp/rec.log" -o "$tmp/r.trace"
rc=0
runc run --bundle "$b" "$id" </dev/null >"$tmp/runc.out" 2>&1 || rc=$?
runc delete -f "$id" >/dev/null 2>&1 || true
[ "$rc" -eq 0 ] || { cat "$tmp/runc.out" >&2; fail "runc run exited $rc"; }
settle
stop_recorder
[ "$rec_rc" -eq 0 ] || { cat "$tmp/rec.log" >&2; fail "record exited $rec_rc"; }

"$SCA" inspect --events "$tmp/r.trace" >"$tmp/ev" || fail "inspect failed"
got=$(awk '$4 == "busybox" { print $6, $7 }' "$tmp/ev" | sed 's/^mkdirat /mkdir /')
want="mkdir log
unshare kill_thread"
[ "$got" = "$want" ] || { printf 'got:\n%s\n' "$got" >&2; fail "container events differ"; }
echo "PASS: runc container seed scenario"
