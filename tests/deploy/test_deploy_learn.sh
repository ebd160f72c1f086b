#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# deploy_learn: deploy/sca-learn-daemonset.yaml's learner, edited as
# docs/kubernetes.md says (the namespace to learn, here a short duration),
# started as the kubelet would start its init container on a node, as a runc
# container (tests/deploy/pod_lib.sh: command and args with $(VAR)s
# expanded, user, exactly its capabilities, no_new_privs, read-only root,
# the host's PID, network and UTS namespaces, the hostPath mounts, and for
# RuntimeDefault a filter refusing what such profiles refuse, bpf excepted:
# containerd's grants it with CAP_BPF).
#
# While it learns, a busybox container with CRI annotations in the learnt
# namespace (its filter logs mkdir and kills unshare), one in another
# namespace and a busy host process run beside it. The learner ends by
# itself after its duration; then the idle container collects the traces
# with tar. The traces hold CALLS records of the learnt container and none
# of the other container or of the host process, the refused unshare as an
# audit event, and profile-gen --per-container makes the container's
# profile from them. Then what each privilege is for: without each
# capability, under a filter that refuses bpf (CRI-O's default profile, or
# containerd's before it granted bpf for CAP_BPF), as a non-root user, in
# network and PID namespaces of its own, with a tiny RLIMIT_MEMLOCK and
# with the kernel's BTF hidden.
#
#   test_deploy_learn.sh SCA SEED CHECK_MANIFEST_PY MANIFEST RUNTIME_DEFAULT_TXT
set -u
LC_ALL=C
export LC_ALL
SCA=$1 SEED=$2 CHECKER=$3 MANIFEST=$4 RTDEFAULT=$5
. "$(dirname "$0")/../integration/lib.sh"
need_root
need_containers
. "$(dirname "$0")/pod_lib.sh"

# The operator's edit (docs/kubernetes.md, "Learning pods"): the namespace
# to learn; and a duration for a test.
learnt=shop
sed -e "s/value: APP_NAMESPACE\$/value: $learnt/" -e 's/value: 1h$/value: 6s/' "$MANIFEST" >"$tmp/learn.yaml"
cmp -s "$MANIFEST" "$tmp/learn.yaml" && fail "the documented edit changed nothing in $MANIFEST"

# ---- the learner, from the manifest ---------------------------------------

pod_spec "$tmp/learn.yaml"
jq -e --arg ns "$learnt" '.init and .hostPID and .hostNetwork and (.hostIPC | not) and .readonlyRootfs
	and .noNewPrivileges and .uid == 0 and .seccomp == "RuntimeDefault"
	and (.sca_argv | index("--all-syscalls")) and (.sca_argv | index("--duration"))
	and (.sca_argv | index($ns))' "$pj" >/dev/null ||
	{ cat "$pj" >&2; fail "the manifest changed what this test assumes: update the test"; }
pod_rootfs
traces=$tmp/traces
pod_mounts "$traces"
caps=$(jq -c .caps "$pj")
# RuntimeDefault as containerd makes it for these capabilities: bpf is
# granted for CAP_BPF (perf_event_open for CAP_PERFMON too, but sca does
# not call it, so it stays refused here)
pod_seccomp "$tmp/seccomp.json" bpf
# ... and as profiles make it that grant bpf only with SYS_ADMIN
pod_seccomp "$tmp/seccomp-nobpf.json"

# The workloads: the learnt namespace's (mkdir logged, unshare killed, and
# the calls of a shell, ls and sleep) and another namespace's
workload_bundle "$tmp/w1" "/bin/busybox ls / >/dev/null; $seed_work" "$learnt" web-0 app
workload_bundle "$tmp/w2" '/bin/busybox sleep 1; /bin/busybox uname -a; exec /bin/busybox sleep 3' other db-0 db
w1=sca-learn-w1-$$ w2=sca-learn-w2-$$
# A busy host process making a call the workloads never make (flock)
python3 -c '
import fcntl, time
f = open("/proc/self/stat")
t = time.time() + 60
while time.time() < t:
    fcntl.flock(f, fcntl.LOCK_SH); fcntl.flock(f, fcntl.LOCK_UN); time.sleep(0.001)
' &
busy=$!
bg_pids="$bg_pids $busy"

# json_calls OUT: the CALLS lines of sca's --print --json output, one per line
json_calls() {
	grep '^{' "$1" | jq -c 'select(.count != null)'
}

# ---- 1. it learns the chosen namespace's pods, then ends by itself --------

# --print --json: the calls as JSON lines too (beside the trace), to check
# them without analyze
make_config "$caps" 0 '[]' '["--print", "--json"]' >"$tmp/config.main" || fail "config"
t0=$(date +%s)
run_recorder learn1 "$tmp/config.main"
wait_recording learn1
grep -q 'every syscall of the selected processes from the sys_enter tracepoint, refusals from the audit source' \
	"$tmp/learn1.err" || { cat "$tmp/learn1.err" >&2; fail "not the syscall and audit sources"; }
scapid=$(runc --root "$rstate" state learn1 | jq -r .pid)
st=/proc/$scapid/status
[ "$(cat "/proc/$scapid/comm")" = sca ] || fail "the container's process is $(cat "/proc/$scapid/comm"), not sca (exec)"
want=$(jq -r '.caps | map(ascii_downcase) | sort | join(",")' "$pj")
[ "$(caps_of "$scapid" CapBnd)" = "$want" ] || fail "bounding set $(caps_of "$scapid" CapBnd), want $want"
[ "$(awk '$1 == "CapAmb:" { print $2 }' "$st")" = 0000000000000000 ] || fail "ambient capabilities set"
[ "$(awk '$1 == "NoNewPrivs:" { print $2 }' "$st")" = 1 ] || fail "no_new_privs not set"
[ "$(awk '$1 == "Seccomp:" { print $2 }' "$st")" = 2 ] || fail "no seccomp filter"
# once attached, sca gives up BPF, PERFMON and AUDIT_READ
i=0
while [ "$(caps_of "$scapid" CapEff)" != cap_sys_ptrace ]; do
	i=$((i + 1))
	[ $i -le 40 ] || fail "effective after the drop: $(caps_of "$scapid" CapEff)"
	sleep 0.05
done
for ns in net pid uts; do
	[ "$(stat -L -c %i "/proc/self/ns/$ns")" = "$(stat -L -c %i "/proc/$scapid/ns/$ns")" ] || fail "not in the host's $ns namespace"
done
echo "ok: learning with $want, after the drop cap_sys_ptrace only"

run_workload "$tmp/w1" "$w1" -d
run_workload "$tmp/w2" "$w2" -d
hostpid=$("$SEED" "$tmp/hostdir" 2>/dev/null || true)
[ -n "$hostpid" ] || fail "seed printed no pid"
sleep 2.5
# collecting while it learns, as `kubectl exec POD -c learn -- tar ...`
mkdir "$tmp/early"
runc --root "$rstate" exec learn1 tar -C "$tracedir" -cf - . | tar -C "$tmp/early" -xf - || fail "exec tar in the learner"
wait_exit learn1
took=$(($(date +%s) - t0))
[ "$run_rc" -eq 0 ] || { cat "$tmp/learn1.err" >&2; fail "the learner exited $run_rc"; }
[ "$took" -le 15 ] || fail "the learner took ${took} s for a duration of 6 s"
echo "ok: the learner ended by itself after ${took} s (--duration 6s), exit 0"

# the files: learn-NODE-STAMP.0001.trace ..., 0600, closed cleanly
set -- "$traces"/*
[ -e "$1" ] || fail "no trace file"
for f in "$@"; do
	n=$(basename "$f")
	echo "$n" | grep -Eq "^learn-$node-[0-9]{8}T[0-9]{6}Z\\.[0-9]{4}\\.trace\$" || fail "trace file name $n"
	[ "$(stat -c '%a %u' "$f")" = "600 0" ] || fail "$n: mode/owner $(stat -c '%a %u' "$f")"
	"$SCA" inspect "$f" >"$tmp/inspect" 2>&1 || { cat "$tmp/inspect" >&2; fail "$n not closed cleanly"; }
done
grep -q '^source: *syscalls+audit' "$tmp/inspect" || { cat "$tmp/inspect" >&2; fail "the trace's source"; }

# The idle container, started once the init container is done: collecting
# as `kubectl exec POD -c traces -- tar -C DIR -cf - .`
pj=$tmp/idle.json
pod_spec "$tmp/learn.yaml" traces
jq -e '(.init | not) and .caps == [] and .readonlyRootfs and .noNewPrivileges and .uid == 0
	and (.mounts | length) == 1 and .mounts[0].readOnly' "$pj" >/dev/null ||
	{ cat "$pj" >&2; fail "the idle container changed: update the test"; }
pod_mounts "$traces"
make_config '[]' 0 '[]' '[]' >"$tmp/config.idle" || fail "config"
pj=$tmp/pod.json
run_recorder idle "$tmp/config.idle"
i=0
until [ "$(runc --root "$rstate" state idle 2>/dev/null | jq -r .status)" = running ]; do
	i=$((i + 1))
	[ $i -le 100 ] || { cat "$tmp/idle.err" >&2; fail "the idle container did not start"; }
	sleep 0.1
done
mkdir "$tmp/fleet"
runc --root "$rstate" exec idle tar -C "$tracedir" -cf - . | tar -C "$tmp/fleet" -xf - || fail "exec tar in the idle container"
cmp -s "$1" "$tmp/fleet/$(basename "$1")" || fail "the idle container's copy differs"
if runc --root "$rstate" exec idle sh -c ": >'$tracedir/.sca-deploy-test'" 2>/dev/null; then
	fail "the idle container can write the traces"
fi
stop_recorder idle
[ "$stop_ms" -lt 5000 ] || fail "the idle container took ${stop_ms} ms to stop"
echo "ok: collected $(ls "$tmp/fleet" | wc -l) files from the idle container (read-only), which stopped in ${stop_ms} ms"

# The calls: the learnt container's, not the other namespace's, not the host's
json_calls "$tmp/learn1.out" >"$tmp/calls.json"
got=$(jq -r 'select(.container.name == "app") | [.container.namespace, .container.pod] | join("/")' "$tmp/calls.json" | sort -u)
[ "$got" = "$learnt/web-0" ] || { head -5 "$tmp/calls.json" >&2; fail "the app container's calls: [$got]"; }
for s in execve getdents64 wait4 mkdir; do
	jq -e -s --arg s "$s" 'map(select(.container.name == "app" and .syscall == $s and .count > 0)) | length > 0' \
		"$tmp/calls.json" >/dev/null || fail "no $s call of the app container"
done
n=$(jq -r 'select(.container.name != "app")' "$tmp/calls.json" | grep -c . || true)
[ "$n" -eq 0 ] || fail "$n call records of processes outside the learnt namespace"
for p in "$busy" "$hostpid"; do
	n=$(jq -r --argjson p "$p" 'select(.pid == $p)' "$tmp/calls.json" | grep -c . || true)
	[ "$n" -eq 0 ] || fail "$n call records of host process $p"
done
n=$(jq -r 'select(.syscall == "unshare")' "$tmp/calls.json" | grep -c . || true)
[ "$n" -eq 0 ] || fail "the refused unshare was counted as a call"
ncalls=$(jq -s 'map(.count) | add' "$tmp/calls.json")
echo "ok: $ncalls calls of $learnt/web-0/app in $(wc -l <"$tmp/calls.json") records; none of other/db-0/db or of the host"

# ... the same from the trace, where analyze has a calls table
if "$SCA" analyze "$tmp/fleet" --sql "SELECT count(*) FROM calls" >/dev/null 2>&1; then
	"$SCA" analyze "$tmp/fleet" --format csv --sql "SELECT c.name, sum(k.count) FROM calls k
		JOIN processes p ON p.id = k.process LEFT JOIN containers c ON c.id = p.container
		GROUP BY 1 ORDER BY 1" 2>"$tmp/sql.err" | tail -n +2 | tr -d '\r' >"$tmp/sql.csv" ||
		{ cat "$tmp/sql.err" >&2; fail "analyze --sql on the calls table"; }
	[ "$(cat "$tmp/sql.csv")" = "app,$ncalls" ] || { cat "$tmp/sql.csv" >&2; fail "the calls table: want app,$ncalls"; }
	echo "ok: the calls table: app,$ncalls"
else
	echo "skipped: analyze has no calls table (checked the --print --json output only)"
fi
# the refusal as an audit event, the trace collected early read too
"$SCA" analyze "$tmp/fleet" --events --format csv --columns k8s.namespace,k8s.pod,k8s.container,syscall,code \
	2>/dev/null | tr -d '\r' | tail -n +2 | sort -u >"$tmp/ev"
grep -qx "$learnt,web-0,app,unshare,kill_thread" "$tmp/ev" || { cat "$tmp/ev" >&2; fail "no refused unshare of app"; }
grep -v "^$learnt,web-0,app," "$tmp/ev" | grep -q . && { cat "$tmp/ev" >&2; fail "audit events outside the learnt namespace"; }
"$SCA" analyze "$tmp/early" --events --format csv --columns syscall >/dev/null 2>&1 || fail "analyze the early copy"

# one profile per container: app's allows what it was seen calling, keeps
# unshare refused; nothing for the other namespace's container
"$SCA" profile-gen "$tmp/fleet" --per-container "$tmp/prof" 2>"$tmp/pg.err" || { cat "$tmp/pg.err" >&2; fail "profile-gen --per-container"; }
[ -f "$tmp/prof/app.json" ] || { ls "$tmp/prof" >&2; fail "no app.json"; }
[ -f "$tmp/prof/db.json" ] && fail "a profile for the other namespace's db"
allowed() {
	jq -r '.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]' "$tmp/prof/app.json" | sort -u
}
allowed | grep -qx unshare && fail "app.json allows the refused unshare"
allowed | grep -Eqx 'mkdir|mkdirat' || { cat "$tmp/prof/app.json" >&2; fail "app.json does not allow the logged mkdir"; }
# the calls learnt, where profile-gen reads CALLS records
if [ "$(allowed | wc -l)" -gt 1 ]; then
	for s in execve getdents64 wait4; do
		allowed | grep -qx "$s" || { cat "$tmp/prof/app.json" >&2; fail "app.json does not allow $s, a call learnt"; }
	done
else
	echo "skipped: profile-gen made app.json from the audit events only (it reads no CALLS records)"
fi
echo "ok: profile-gen --per-container: $(ls "$tmp/prof" | tr '\n' ' ')($(jq '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | length' "$tmp/prof/app.json") syscalls allowed to app)"
runc delete -f "$w1" >/dev/null 2>&1
runc delete -f "$w2" >/dev/null 2>&1

# ---- 3. what the manifest's privileges are for ----------------------------

workload_bundle "$tmp/w3" '/bin/busybox sleep 0.5; /bin/busybox ls / >/dev/null; /bin/busybox mkdir /tmp/seed;
	/bin/busybox unshare -n /bin/busybox true; /bin/busybox sleep 0.5' "$learnt" web-1 app
# try_variant NAME CONFIG: the learner run with CONFIG, for 3 s, while the
# workload above runs once it records; sets run_rc; its calls (JSON lines)
# in $tmp/NAME.calls, its audit events in $tmp/NAME.events
try_variant() {
	run_recorder "$1" "$2"
	i=0
	while ! grep -q recording "$tmp/$1.err" 2>/dev/null && kill -0 "$run_pid" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 300 ] || fail "$1: neither recording nor exiting"
		sleep 0.05
	done
	grep -q recording "$tmp/$1.err" && run_workload "$tmp/w3" "sca-learn-$1-$$"
	wait_exit "$1"
	json_calls "$tmp/$1.out" >"$tmp/$1.calls"
	grep '^{' "$tmp/$1.out" | jq -c 'select(.count == null)' >"$tmp/$1.events"
}
# config_with NAME CAPS_JSON UID NAMESPACES_JSON [SECCOMP_JSON [JQ]]: a
# learner's config, for 3 s, printing JSON lines, changed by JQ
config_with() {
	make_config "$2" "$3" "$4" '["--print", "--json", "--duration", "3s"]' "${5:-$tmp/seccomp.json}" |
		jq "${6:-.}" >"$tmp/config.$1" || fail "config $1"
}
without() {
	echo "$caps" | jq -c --arg c "$1" 'map(select(. != $c))'
}
# app_pids NAME, app_events NAME: how many of the workload's processes have
# calls, how many audit events the workload has
app_pids() {
	jq -r 'select(.container.name == "app") | .pid' "$tmp/$1.calls" | sort -u | wc -l
}
app_events() {
	jq -r 'select(.container.name == "app") | .syscall' "$tmp/$1.events" | grep -c . || true
}
# fails_with NAME WHAT LINE: NAME exited 1 with LINE alone on stderr and
# created no file
fails_with() {
	[ "$run_rc" -eq 1 ] && [ "$(cat "$tmp/$1.err")" = "$3" ] ||
		{ cat "$tmp/$1.err" >&2; fail "$2: exit $run_rc, want 1 with: $3"; }
	[ "$(ls "$traces" | wc -l)" -eq "$nfiles" ] || fail "$2: a file was created"
	echo "ok: $2: $3"
}
nosys='sca record: the syscall source cannot run here: loading the sys_enter program: Operation not permitted'

config_with full "$caps" 0 '[]'
try_variant full "$tmp/config.full"
[ "$run_rc" -eq 0 ] || { cat "$tmp/full.err" >&2; fail "full: exit $run_rc"; }
np=$(app_pids full) ne=$(app_events full)
[ "$np" -ge 4 ] && [ "$ne" -eq 2 ] || fail "full: $np processes with calls, $ne events"
nfiles=$(ls "$traces" | wc -l)

# each capability of the syscall source; a filter refusing bpf; non-root
config_with nobpf "$(without CAP_BPF)" 0 '[]'
try_variant nobpf "$tmp/config.nobpf"
fails_with nobpf "without CAP_BPF" "$nosys"
config_with noperfmon "$(without CAP_PERFMON)" 0 '[]'
try_variant noperfmon "$tmp/config.noperfmon"
fails_with noperfmon "without CAP_PERFMON" "$nosys"
config_with nobpfcall "$caps" 0 '[]' "$tmp/seccomp-nobpf.json"
try_variant nobpfcall "$tmp/config.nobpfcall"
fails_with nobpfcall "with bpf refused by seccomp" "$nosys"
config_with user "$caps" 65534 '[]'
try_variant user "$tmp/config.user"
fails_with user "as uid 65534 with the same capabilities" "$nosys"

# without CAP_AUDIT_READ: the calls, not the refusals, and a warning
config_with noaudit "$(without CAP_AUDIT_READ)" 0 '[]'
try_variant noaudit "$tmp/config.noaudit"
[ "$run_rc" -eq 0 ] && [ "$(app_pids noaudit)" -eq "$np" ] && [ "$(app_events noaudit)" -eq 0 ] &&
	grep -qx "sca record: warning: no event source, so calls a seccomp filter refuses go unseen (reading kernel audit records needs root or CAP_AUDIT_READ)" \
		"$tmp/noaudit.err" || { cat "$tmp/noaudit.err" >&2; fail "without CAP_AUDIT_READ: exit $run_rc"; }
echo "ok: without CAP_AUDIT_READ: the calls of $np processes, no refusals, a warning"
# without CAP_SYS_PTRACE: fewer of the workload's processes and events
# placed (how many varies from run to run)
config_with noptrace "$(without CAP_SYS_PTRACE)" 0 '[]'
try_variant noptrace "$tmp/config.noptrace"
[ "$run_rc" -eq 0 ] && [ "$(($(app_pids noptrace) + $(app_events noptrace)))" -lt "$((np + ne))" ] ||
	fail "without CAP_SYS_PTRACE: exit $run_rc, $(app_pids noptrace) processes with calls, $(app_events noptrace) events"
echo "ok: without CAP_SYS_PTRACE: the calls of $(app_pids noptrace) of $np processes and $(app_events noptrace) of $ne events placed in their container"
# a network namespace of its own: the calls, not the refusals
config_with netns "$caps" 0 '[{"type": "network"}]'
try_variant netns "$tmp/config.netns"
[ "$run_rc" -eq 0 ] && [ "$(app_pids netns)" -eq "$np" ] && [ "$(app_events netns)" -eq 0 ] ||
	fail "own network namespace: exit $run_rc, $(app_pids netns) processes with calls, $(app_events netns) events"
echo "ok: in its own network namespace: the calls of $np processes, no refusals"
# a PID namespace of its own: nothing placed, so nothing learnt
config_with pidns "$caps" 0 '[{"type": "pid"}]'
try_variant pidns "$tmp/config.pidns"
[ "$run_rc" -eq 0 ] && [ "$(grep -c . "$tmp/pidns.calls")" -eq 0 ] && [ "$(app_events pidns)" -eq 0 ] ||
	fail "own PID namespace: exit $run_rc, $(grep -c . "$tmp/pidns.calls") call records, $(app_events pidns) events"
echo "ok: in its own PID namespace: exit 0 and nothing learnt"
# a 64 KiB RLIMIT_MEMLOCK (the kernel charges BPF memory to the cgroup)
config_with memlock "$caps" 0 '[]' "$tmp/seccomp.json" \
	'.process.rlimits = [{"type": "RLIMIT_MEMLOCK", "hard": 65536, "soft": 65536}]'
try_variant memlock "$tmp/config.memlock"
[ "$run_rc" -eq 0 ] && [ "$(app_pids memlock)" -eq "$np" ] && [ "$(app_events memlock)" -eq 2 ] ||
	{ cat "$tmp/memlock.err" >&2; fail "RLIMIT_MEMLOCK 64 KiB: exit $run_rc"; }
echo "ok: with RLIMIT_MEMLOCK 64 KiB: as with none"
# no /sys/fs/cgroup in the container
config_with nocg "$caps" 0 '[]' "$tmp/seccomp.json" '.mounts |= map(select(.destination != "/sys/fs/cgroup"))'
try_variant nocg "$tmp/config.nocg"
[ "$run_rc" -eq 0 ] && [ "$(app_pids nocg)" -eq "$np" ] && [ "$(app_events nocg)" -eq 2 ] ||
	{ cat "$tmp/nocg.err" >&2; fail "without /sys/fs/cgroup: exit $run_rc"; }
echo "ok: without /sys/fs/cgroup: as with it"
# the kernel's BTF hidden (CO-RE needs /sys/kernel/btf/vmlinux)
nfiles=$(ls "$traces" | wc -l)
config_with nobtf "$caps" 0 '[]' "$tmp/seccomp.json" '.linux.maskedPaths += ["/sys/kernel/btf"]'
try_variant nobtf "$tmp/config.nobtf"
[ "$run_rc" -eq 1 ] && grep -q '^sca record: the syscall source cannot run here: ' "$tmp/nobtf.err" ||
	{ cat "$tmp/nobtf.err" >&2; fail "without /sys/kernel/btf: exit $run_rc"; }
echo "ok: without /sys/kernel/btf: $(cat "$tmp/nobtf.err")"


# ---- 4. CRI-O's default profile, where it is installed --------------------

if [ -f "$crio_profile" ]; then
	crio_seccomp "$tmp/crio.json" "$caps"
	config_with crio "$caps" 0 '[]' "$tmp/crio.json"
	try_variant crio "$tmp/config.crio"
	fails_with crio "under CRI-O's default profile ($crio_profile)" "$nosys"
	crio_seccomp "$tmp/crio-ok.json" "$caps" edited
	config_with criook "$caps" 0 '[]' "$tmp/crio-ok.json"
	try_variant criook "$tmp/config.criook"
	[ "$run_rc" -eq 0 ] && [ "$(app_pids criook)" -eq "$np" ] && [ "$(app_events criook)" -eq 2 ] ||
		{ cat "$tmp/criook.err" >&2; fail "under CRI-O's profile edited by crio-seccomp.jq: exit $run_rc"; }
	echo "ok: under CRI-O's profile edited by deploy/crio-seccomp.jq: as under the stand-in"
else
	echo "skipped: no $crio_profile (CRI-O's default profile, golang-github-containers-common)"
fi

echo "PASS: the learning DaemonSet's containers under runc: the chosen namespace's calls and refusals, bounded, collected, profiled; privileges"
