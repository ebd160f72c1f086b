#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# deploy_pod: deploy/sca-daemonset.yaml's recorder container, started as the
# kubelet would start it on a node, as a runc container: the manifest's
# command and args ($(NODE_NAME) expanded), user, capabilities (bounding,
# effective, permitted; no ambient), no_new_privs, read-only root, the host's
# PID, network and UTS namespaces, the hostPath mounts at their paths with
# their readOnly flags, and for seccompProfile RuntimeDefault a filter that
# refuses what such profiles refuse (runtime-default-refused.txt). The image is
# stood in for by a root holding sca, sh, date and tar, with the host's
# /usr/lib and /usr/lib64 mounted read-only.
#
# While it records, a seed runs on the host and in a runc container with CRI
# annotations; the recorder is stopped with SIGTERM, as the kubelet stops a
# pod. Then: the trace files in the host directory, the events by container,
# one profile per container, the traces collected through `exec tar` while
# recording, a restart beside the earlier set (rotating every second, to
# create files after sca dropped its capabilities). And what the manifest's
# choices are for: without CAP_AUDIT_READ, or as a non-root user with the same
# capabilities, sca fails in one line; in a network namespace of its own it
# records nothing.
#
#   test_deploy_pod.sh SCA SEED CHECK_MANIFEST_PY MANIFEST RUNTIME_DEFAULT_TXT
set -u
LC_ALL=C
export LC_ALL
SCA=$1 SEED=$2 CHECKER=$3 MANIFEST=$4 RTDEFAULT=$5
. "$(dirname "$0")/../integration/lib.sh"
need_root
need_containers
. "$(dirname "$0")/pod_lib.sh"

# ---- the container, from the manifest -----------------------------------

pod_spec "$MANIFEST"
jq -e '.hostPID and .hostNetwork and (.hostIPC | not) and .readonlyRootfs and .noNewPrivileges
	and .uid == 0 and .seccomp == "RuntimeDefault"' "$tmp/pod.json" >/dev/null ||
	{ cat "$tmp/pod.json" >&2; fail "the manifest changed what this test assumes: update the test"; }
pod_rootfs
traces=$tmp/traces
pod_mounts "$traces"
caps=$(jq -c .caps "$tmp/pod.json")
pod_seccomp "$tmp/seccomp.json"

# seed_under NAME CONFIG DIR SECONDS: the recorder container NAME runs with
# CONFIG while a host seed logs mkdir in DIR and is killed on unshare; after
# SECONDS it is stopped with SIGTERM and must exit 0. Sets seed_pid.
seed_under() {
	run_recorder "$1" "$2"
	wait_recording "$1"
	seed_pid=$("$SEED" "$3" 2>/dev/null || true)
	[ -n "$seed_pid" ] || fail "$1: seed printed no pid"
	sleep "$4"
	stop_recorder "$1"
	[ "$run_rc" -eq 0 ] || { cat "$tmp/$1.err" >&2; fail "$1: the recorder exited $run_rc"; }
}

# The workload container: CRI annotations, runc's standard root, the seed's
# filter (as tests/integration/test_record_k8s.sh)
w=$tmp/work
workload_bundle "$w" "$seed_work" shop web-0 app
workid=sca-deploy-work-$$

# ---- 1. the manifest's container records the node -----------------------

make_config "$caps" 0 '[]' '[]' >"$tmp/config.main" || fail "config"
run_recorder rec1 "$tmp/config.main"
wait_recording rec1
scapid=$(runc --root "$rstate" state rec1 | jq -r .pid)
grep -q 'from the audit source' "$tmp/rec1.err" || { cat "$tmp/rec1.err" >&2; fail "not the audit source"; }
# what the kernel says the recorder runs with
st=/proc/$scapid/status
[ "$(cat "/proc/$scapid/comm")" = sca ] || fail "the container's process is $(cat "/proc/$scapid/comm"), not sca (exec)"
want=$(jq -r '.caps | map(ascii_downcase) | sort | join(",")' "$tmp/pod.json")
decode() { caps_of "$scapid" "$1"; }
[ "$(decode CapBnd)" = "$want" ] || fail "bounding set $(decode CapBnd), want $want"
[ "$(awk '$1 == "CapAmb:" { print $2 }' "$st")" = 0000000000000000 ] || fail "ambient capabilities set"
[ "$(awk '$1 == "NoNewPrivs:" { print $2 }' "$st")" = 1 ] || fail "no_new_privs not set"
[ "$(awk '$1 == "Seccomp:" { print $2 }' "$st")" = 2 ] || fail "no seccomp filter"
# sca dropped what it no longer needs (it says "recording" just before):
# of these, only CAP_SYS_PTRACE stays
i=0
while [ "$(decode CapEff)" != cap_sys_ptrace ]; do
	i=$((i + 1))
	[ $i -le 40 ] || fail "effective after the drop: $(decode CapEff)"
	sleep 0.05
done
[ "$(stat -L -c %i /proc/self/ns/net)" = "$(stat -L -c %i "/proc/$scapid/ns/net")" ] || fail "not in the host's network namespace"
[ "$(stat -L -c %i /proc/self/ns/mnt)" != "$(stat -L -c %i "/proc/$scapid/ns/mnt")" ] || fail "in the host's mount namespace"

# the root and the read-only mounts refuse writes, in the container; the
# trace directory takes them (so the probe itself works)
runc --root "$rstate" exec rec1 sh -c ": >'$tracedir/.sca-deploy-test'" && [ -f "$traces/.sca-deploy-test" ] ||
	fail "cannot write to the trace directory from the container"
rm -f "$traces/.sca-deploy-test"
for d in / $(jq -r '.mounts[] | select(.readOnly) | .mountPath' "$tmp/pod.json"); do
	if runc --root "$rstate" exec rec1 sh -c ": >'$d/.sca-deploy-test'" 2>/dev/null; then
		rm -f "$r$d/.sca-deploy-test"
		fail "$d is writable in the container"
	fi
done

hostpid=$("$SEED" "$tmp/hostdir1" 2>/dev/null || true)
[ -n "$hostpid" ] || fail "seed printed no pid"
run_workload "$w" "$workid"
sleep 1.2   # a second: the chunk is on disk for the collector

# Collecting while it records, as `kubectl exec POD -- tar -C DIR -cf - .`
mkdir "$tmp/collected"
runc --root "$rstate" exec rec1 tar -C "$tracedir" -cf - . | tar -C "$tmp/collected" -xf - ||
	fail "exec tar in the recorder"
ls "$tmp/collected"/*.trace >/dev/null 2>&1 || fail "nothing collected"
"$SCA" analyze "$tmp/collected" --by container,syscall --format csv 2>"$tmp/collected.err" | tr -d '\r' >"$tmp/collected.csv" ||
	{ cat "$tmp/collected.err" >&2; fail "analyze the collected, still open trace"; }
grep -q '^app,mkdir' "$tmp/collected.csv" || { cat "$tmp/collected.csv" >&2; fail "collected trace lacks app's mkdir"; }

stop_recorder rec1
[ "$run_rc" -eq 0 ] || { cat "$tmp/rec1.err" >&2; fail "the recorder exited $run_rc on SIGTERM"; }
grace=$(jq -r .terminationGracePeriodSeconds "$tmp/pod.json")
[ "$stop_ms" -lt $((grace * 1000)) ] || fail "stopping took ${stop_ms} ms, longer than the grace period"
echo "ok: SIGTERM: sca stopped in ${stop_ms} ms (grace period ${grace} s)"

# the files: node-NODE-STAMP.0001.trace, 0600, closed cleanly
set -- "$traces"/*
[ $# -eq 1 ] || { ls -l "$traces" >&2; fail "want one trace file, got $#"; }
f1=$(basename "$1")
echo "$f1" | grep -Eq "^node-$node-[0-9]{8}T[0-9]{6}Z\\.0001\\.trace\$" || fail "trace file name $f1"
[ "$(stat -c '%a %u' "$1")" = "600 0" ] || fail "$f1: mode/owner $(stat -c '%a %u' "$1")"
grep -q "$f1" "$tmp/rec1.err" || { cat "$tmp/rec1.err" >&2; fail "the summary does not list $f1"; }
"$SCA" inspect "$1" >"$tmp/inspect1" 2>&1 || { cat "$tmp/inspect1" >&2; fail "$f1 not closed cleanly"; }
[ "$(awk '$1 == "host:" { print $2 }' "$tmp/inspect1")" = "$(uname -n)" ] || { cat "$tmp/inspect1" >&2; fail "the trace does not name the node ($(uname -n))"; }
echo "ok: $f1 (mode 600), closed cleanly"

# by container: the workload's events are app's, the host seed's no one's
# (the host rows may hold other processes' events too: only the seed's must be there)
"$SCA" analyze "$traces" --by container,syscall --format csv 2>/dev/null | tr -d '\r' |
	awk -F, '$1 == "app" || $1 == "" { print $1 "|" $2 }' | sed 's/|mkdirat$/|mkdir/' | sort -u >"$tmp/by"
[ "$(grep '^app|' "$tmp/by")" = "app|mkdir
app|unshare" ] && grep -qx '|mkdir' "$tmp/by" && grep -qx '|unshare' "$tmp/by" ||
	{ "$SCA" analyze "$traces" --by container,syscall >&2; fail "--by container,syscall: $(cat "$tmp/by")"; }
"$SCA" analyze "$traces" --events --format csv \
	--columns pid,comm,runtime.containername,k8s.namespace,k8s.pod,k8s.container,syscall,code 2>/dev/null |
	tr -d '\r' >"$tmp/ev"
got=$(awk -F, '$2 == "busybox" { print $3, $4, $5, $6 }' "$tmp/ev" | sort -u)
[ "$got" = "runc.app shop web-0 app" ] || { cat "$tmp/ev" >&2; fail "the workload's events: [$got]"; }
got=$(awk -F, -v p="$hostpid" '$1 == p { print $2, $3 "|" $6 "|", $7, $8 }' "$tmp/ev")
[ "$got" = "seed || mkdir log
seed || unshare kill_thread" ] || { cat "$tmp/ev" >&2; fail "the host seed: [$got]"; }
echo "ok: the workload's events are runc.app (shop/web-0/app), the host's seed in no container"

"$SCA" profile-gen "$traces" --per-container "$tmp/prof" 2>"$tmp/pg.err" || { cat "$tmp/pg.err" >&2; fail "profile-gen --per-container"; }
[ -f "$tmp/prof/app.json" ] && [ -f "$tmp/prof/host.json" ] || { ls "$tmp/prof" >&2; fail "profile files"; }
jq -e '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] as $ok
	| ($ok | index("mkdir") != null or index("mkdirat") != null) and ($ok | index("unshare") == null)' \
	"$tmp/prof/app.json" >/dev/null || { cat "$tmp/prof/app.json" >&2; fail "app.json"; }
echo "ok: profile-gen --per-container: $(ls "$tmp/prof" | tr '\n' ' ')"

# ---- 2. restarted on the same node: a new set beside the first ----------
# (rotating every second, so files are created after sca dropped its
# capabilities: CAP_DAC_OVERRIDE is not needed for them here)

sleep 1   # another start second, another file name
make_config "$caps" 0 '[]' '["--rotate-time", "1s"]' >"$tmp/config.rot" || fail "config"
seed_under rec2 "$tmp/config.rot" "$tmp/hostdir2" 2.5
hostpid2=$seed_pid
[ -f "$traces/$f1" ] || fail "the first set is gone"
n2=$(ls "$traces" | grep -v "^$f1\$" | grep -Ec "^node-$node-[0-9]{8}T[0-9]{6}Z\\.[0-9]{4}\\.trace\$")
[ "$n2" -ge 2 ] || { ls -l "$traces" >&2; fail "the restart wrote $n2 files, want 2 or more"; }
for f in "$traces"/*; do
	"$SCA" inspect "$f" >/dev/null 2>&1 || fail "$(basename "$f") not closed cleanly"
done
got=$("$SCA" analyze "$traces" --events --format csv --columns pid,syscall 2>/dev/null | tr -d '\r' |
	awk -F, -v p="$hostpid2" '$1 == p { print $2 }' | sort | paste -sd' ' -)
[ "$got" = "mkdir unshare" ] || fail "the restarted recorder's seed events: [$got]"
echo "ok: restarted: $n2 more files beside $f1, each closed cleanly"

# ---- 3. what the manifest's settings are for ------------------------------

# without CAP_AUDIT_READ: one line, exit 1, no file
before=$(ls "$traces" | wc -l)
nocap=$(echo "$caps" | jq -c 'map(select(. != "CAP_AUDIT_READ"))')
make_config "$nocap" 0 '[]' '[]' >"$tmp/config.nocap" || fail "config"
run_recorder rec3 "$tmp/config.nocap"
run_rc=0
wait "$run_pid" || run_rc=$?
[ "$run_rc" -eq 1 ] || { cat "$tmp/rec3.err" >&2; fail "without CAP_AUDIT_READ: exit $run_rc, want 1"; }
[ "$(cat "$tmp/rec3.err")" = "sca record: reading kernel audit records needs root or CAP_AUDIT_READ" ] ||
	{ cat "$tmp/rec3.err" >&2; fail "without CAP_AUDIT_READ: not the one-line error"; }
[ "$(ls "$traces" | wc -l)" -eq "$before" ] || fail "without CAP_AUDIT_READ a file was created"
echo "ok: without CAP_AUDIT_READ: $(cat "$tmp/rec3.err")"

# non-root with the same capabilities (no ambient ones): lost at exec
make_config "$caps" 65534 '[]' '[]' >"$tmp/config.user" || fail "config"
run_recorder rec4 "$tmp/config.user"
run_rc=0
wait "$run_pid" || run_rc=$?
[ "$run_rc" -eq 1 ] && [ "$(cat "$tmp/rec4.err")" = "sca record: reading kernel audit records needs root or CAP_AUDIT_READ" ] ||
	{ cat "$tmp/rec4.err" >&2; fail "as uid 65534: exit $run_rc"; }
echo "ok: as uid 65534 with the same capabilities: $(cat "$tmp/rec4.err")"

# in a network namespace of its own (no hostNetwork): starts, records nothing
mkdir -p "$tmp/nonet"
make_config "$caps" 0 '[{"type": "network"}]' '[]' >"$tmp/config.nonet" || fail "config"
seed_under rec5 "$tmp/config.nonet" "$tmp/hostdir3" 1.5
nonetpid=$seed_pid
# the file rec5 wrote, as its summary names it
new=$(sed -n 's|^sca record:   .*/\(node-[^/:]*\.trace\): .*|\1|p; s|^sca record: .* written to .*/\(node-[^/]*\.trace\)$|\1|p' \
	"$tmp/rec5.err" | tail -n 1)
[ -n "$new" ] && [ -f "$traces/$new" ] || { cat "$tmp/rec5.err" >&2; fail "rec5's trace not found"; }
"$SCA" analyze "$traces/$new" --events --format csv --columns pid >"$tmp/rec5.csv" 2>"$tmp/rec5.an" ||
	{ cat "$tmp/rec5.an" >&2; fail "analyze of rec5's trace failed"; }
[ "$(grep -cx "$nonetpid" "$tmp/rec5.csv")" -eq 0 ] || fail "a recorder in its own network namespace saw the seed"
grep -q '^sca record: 0 events,' "$tmp/rec5.err" || { cat "$tmp/rec5.err" >&2; fail "without hostNetwork: events?"; }
# with hostPID, sca warns when PID 1's namespace is readable (not in some
# sandboxes, even for root; the VM tier checks the warning there)
if stat -L /proc/1/ns/net >/dev/null 2>&1; then
	grep -q "^sca record: warning: not in PID 1's network namespace" "$tmp/rec5.err" ||
		{ cat "$tmp/rec5.err" >&2; fail "without hostNetwork: no warning"; }
fi
echo "ok: in its own network namespace: $(grep -o '[0-9]* events, [0-9]* lost' "$tmp/rec5.err" | head -1) (the seed ran on the host meanwhile)"

# ---- 4. CRI-O's default profile, where it is installed ---------------------
# It refuses audit netlink sockets (EINVAL) to a container without
# CAP_AUDIT_WRITE; deploy/crio-seccomp.jq's edit allows them.

if [ -f "$crio_profile" ]; then
	crio_seccomp "$tmp/crio.json" "$caps"
	make_config "$caps" 0 '[]' '[]' "$tmp/crio.json" >"$tmp/config.crio" || fail "config"
	before=$(ls "$traces" | wc -l)
	run_recorder rec6 "$tmp/config.crio"
	wait_exit rec6
	[ "$run_rc" -eq 1 ] && [ "$(cat "$tmp/rec6.err")" = "sca record: cannot subscribe to audit records: Invalid argument" ] &&
		[ "$(ls "$traces" | wc -l)" -eq "$before" ] || { cat "$tmp/rec6.err" >&2; fail "under CRI-O's profile: exit $run_rc"; }
	echo "ok: under CRI-O's default profile ($crio_profile): $(cat "$tmp/rec6.err")"
	crio_seccomp "$tmp/crio-ok.json" "$caps" edited
	make_config "$caps" 0 '[]' '[]' "$tmp/crio-ok.json" >"$tmp/config.criook" || fail "config"
	seed_under rec7 "$tmp/config.criook" "$tmp/hostdir4" 1.5
	n=$(sed -n 's/^sca record: \([0-9]*\) events,.*/\1/p' "$tmp/rec7.err")
	[ "${n:-0}" -ge 2 ] || { cat "$tmp/rec7.err" >&2; fail "under the edited CRI-O profile: ${n:-no} events"; }
	echo "ok: under CRI-O's profile edited by deploy/crio-seccomp.jq: $n events (the seed's 2 among them)"
else
	echo "skipped: no $crio_profile (CRI-O's default profile, golang-github-containers-common)"
fi

echo "PASS: the DaemonSet's container records the node under runc: files, names, per-container profiles, restart, privileges"
