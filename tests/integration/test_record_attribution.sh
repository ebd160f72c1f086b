#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Attribution of processes that are gone before their audit record is read,
# with workloads that behave like people's: a container's shell that runs a
# killed child 20 times and reaps each at once, a container that lives for
# milliseconds under `sca record -- runc run`, two containers at once, and a
# pid taken again by another process in another mount namespace. The audit
# source reads /proc only after a record arrives; the process tracker saw
# each fork and exec when it happened.
set -u
SCA=$1 SEED=$2
. "$(dirname "$0")/lib.sh"
need_root
need_containers

started=$tmp/started
: >"$started"
delete_containers() {
	while read -r id; do runc delete -f "$id" >/dev/null 2>&1 || true; done <"$started"
}
trap 'delete_containers; cleanup' EXIT HUP INT TERM

cri() { # cri POD CONTAINER: CRI annotations of a pod in namespace default
	printf '{"io.kubernetes.cri.container-type": "container", "io.kubernetes.cri.sandbox-name": "%s",
	  "io.kubernetes.cri.sandbox-namespace": "default", "io.kubernetes.cri.container-name": "%s",
	  "io.kubernetes.cri.sandbox-uid": "%s-uid"}' "$1" "$2" "$1"
}
# a shell that runs `unshare -i true` (killed by the filter) N times, reaping each at once
killed_children='i=0; while [ $i -lt 20 ]; do /bin/busybox unshare -i /bin/busybox true; i=$((i + 1)); done'

# ---- 1. 20 killed children of a container's shell, each reaped at once ----
id1=sca-attr1-$$
id2=sca-attr2-$$
busybox_bundle "$tmp/b1" "$killed_children" "$(cri mypod c1)"
busybox_bundle "$tmp/b2" "$killed_children" "$(cri otherpod c2)"
start_recorder "$tmp/live" "$tmp/rec.log" -o "$tmp/a.trace" --print \
	--columns k8s.namespace,k8s.pod,syscall,code
grep -q "attribution: process tracker" "$tmp/rec.log" || { cat "$tmp/rec.log" >&2; fail "no process tracker"; }
# two containers at once, neither lingering: each exits when its loop ends
echo "$id1" >>"$started"
echo "$id2" >>"$started"
runc run --bundle "$tmp/b1" "$id1" </dev/null >"$tmp/c1.out" 2>&1 &
r1=$!
runc run --bundle "$tmp/b2" "$id2" </dev/null >"$tmp/c2.out" 2>&1 &
r2=$!
wait $r1
wait $r2
settle
stop_recorder
[ "$rec_rc" -eq 0 ] || { cat "$tmp/rec.log" >&2; fail "record exited $rec_rc"; }
for pod in mypod otherpod; do
	n=$(awk -v p=$pod '$1 == "default" && $2 == p && $3 == "unshare" && $4 == "kill_thread"' "$tmp/live" | wc -l)
	[ "$n" -eq 20 ] || { cat "$tmp/live" >&2; fail "live view: $n of 20 killed children shown in $pod"; }
done
"$SCA" analyze "$tmp/a.trace" --by namespace,pod,syscall,code --format csv 2>/dev/null | tr -d '\r' >"$tmp/a.csv" ||
	fail "analyze a.trace"
for pod in mypod otherpod; do
	grep -qx "default,$pod,unshare,kill_thread,20,.*" "$tmp/a.csv" ||
		{ cat "$tmp/a.csv" >&2; fail "trace: not 20 unshare kill_thread in default/$pod"; }
done
# none unattributed
awk -F, '$3 == "unshare" && $1 == ""' "$tmp/a.csv" | grep -q . && { cat "$tmp/a.csv" >&2; fail "unattributed unshare events"; }

# ---- 1b. the same where BPF is refused (no CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN):
# the proc connector feeds the tracker, a gone child placed by its parent ----
if command -v setpriv >/dev/null; then
	id4=sca-attr4-$$
	echo "$id4" >>"$started"
	setpriv --bounding-set=-bpf,-perfmon,-sys_admin "$SCA" record -o "$tmp/cn.trace" \
		>/dev/null 2>"$tmp/cn.log" &
	rec_pid=$!
	bg_pids="$bg_pids $rec_pid"
	wait_recording_in "$tmp/cn.log" $rec_pid "record without BPF"
	grep -q "attribution: process tracker on the proc connector" "$tmp/cn.log" ||
		{ cat "$tmp/cn.log" >&2; fail "without BPF: not the proc connector"; }
	runc run --bundle "$tmp/b1" "$id4" </dev/null >"$tmp/c4.out" 2>&1
	settle
	stop_recorder
	"$SCA" analyze "$tmp/cn.trace" --by namespace,pod,syscall,code --format csv 2>/dev/null | tr -d '\r' \
		>"$tmp/cn.csv" || fail "analyze cn.trace"
	grep -qx "default,mypod,unshare,kill_thread,20,.*" "$tmp/cn.csv" ||
		{ cat "$tmp/cn.csv" "$tmp/cn.log" >&2; fail "without BPF: not 20 unshare kill_thread in default/mypod"; }
fi

# ---- 2. `sca record -- runc run NAME` on a container of a few milliseconds ----
id3=sca-attr3-$$
busybox_bundle "$tmp/b3" '/bin/busybox mkdir /tmp/m; /bin/busybox unshare -n /bin/busybox true' '{}'
echo "$id3" >>"$started"
t0=$(date +%s%N)
rc=0
"$SCA" record -o "$tmp/c.trace" -- runc run --bundle "$tmp/b3" "$id3" </dev/null >"$tmp/c3.out" 2>"$tmp/c3.log" || rc=$?
grep -q "attribution: process tracker" "$tmp/c3.log" || { cat "$tmp/c3.log" >&2; fail "record -- runc: no process tracker"; }
"$SCA" analyze "$tmp/c.trace" --by container,syscall,code --format csv 2>/dev/null | tr -d '\r' >"$tmp/c.csv" ||
	fail "analyze c.trace"
grep -q "^$id3,unshare,kill_thread," "$tmp/c.csv" || { cat "$tmp/c.csv" >&2; fail "the killed unshare is not in $id3"; }
grep -q "^$id3,mkdir.*,log," "$tmp/c.csv" || { cat "$tmp/c.csv" >&2; fail "the container's mkdir is not in $id3"; }
"$SCA" profile-gen "$tmp/c.trace" --container "$id3" -o "$tmp/c.json" 2>"$tmp/pg.err" ||
	{ cat "$tmp/pg.err" >&2; fail "profile-gen --container $id3"; }
jq -e '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | index("execve") != null' "$tmp/c.json" \
	>/dev/null || fail "the container's profile does not allow execve"

# ---- 3. a pid taken again 50 ms later, by another process in another mount namespace ----
# A: a host process whose filter logs mkdir; it exits. B: the next process
# given the same pid (ns_last_pid), in a new mount namespace, logs mkdir too.
start_recorder "$tmp/live3" "$tmp/rec3.log" -o "$tmp/p.trace"
tries=0
while :; do
	tries=$((tries + 1))
	[ $tries -le 20 ] || skip "could not get the same pid twice (a busy machine)"
	# simple commands: the shell's subshell execs them, so each is the pid it prints
	a=$("$SEED" "$tmp/pa$tries")
	[ -n "$a" ] || fail "seed printed no pid"
	# B a moment later, not within the same few milliseconds: an audit stamp
	# comes from a coarse clock, and two holders of one pid with one comm
	# inside its resolution (20 ms, see tracker.c) cannot be told apart
	sleep 0.05
	echo $((a - 1)) >/proc/sys/kernel/ns_last_pid
	b=$(unshare -m "$SEED" "$tmp/pb$tries")
	[ "$b" = "$a" ] && break
done
settle
stop_recorder
hostmnt=$(stat -L -c %i /proc/self/ns/mnt)
"$SCA" analyze "$tmp/p.trace" --events --columns pid,mntns,syscall --format csv 2>/dev/null | tr -d '\r' |
	awk -F, -v p="$a" '$1 == p && $3 ~ /^mkdir/ { print $2 }' | sort | uniq -c >"$tmp/p.mnt"
[ "$(wc -l <"$tmp/p.mnt")" -eq 2 ] || { cat "$tmp/p.mnt" >&2; fail "pid $a: want its mkdir in two mount namespaces"; }
grep -q " $hostmnt\$" "$tmp/p.mnt" || { cat "$tmp/p.mnt" >&2; fail "pid $a: the host process lost its mount namespace"; }
echo "PASS: attribution of reaped children, short containers, two containers, a reused pid"
