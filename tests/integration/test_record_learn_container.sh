#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Learning a runc container with the syscall source, as an operator does:
#  1. `record --all-syscalls --container NAME` for 4 s while the container
#     (no seccomp profile) starts and runs, a busy host process beside it;
#     profile-gen's profile lists the container's syscalls and none of the
#     host process's, and the container then runs under that profile with
#     default kill_process.
#  2. A container that was already running is learnt too; its profile lists
#     the workload's syscalls. (Starting it under that profile is not
#     asserted: the runtime's own calls after it loads the filter, made
#     before the recording began, were not seen.)
#  3. 10,000 short-lived processes in a container: the set of syscall
#     names learnt equals what strace -f -c counts for the same script.
set -u
SCA=$1
. "$(dirname "$0")/lib.sh"
need_root
need_containers


# profile_names PROFILE: the syscall names a profile allows, one per line
profile_names() {
	jq -r '.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]' "$1" | sort -u
}

work='i=0; while [ $i -lt 8 ]; do /bin/busybox ls / >/dev/null; /bin/busybox sleep 0.25; i=$((i + 1)); done'

# A busy host process making a syscall the container never makes (flock).
python3 -c '
import fcntl, time
f = open("/proc/self/stat")
t = time.time() + 30
while time.time() < t:
    fcntl.flock(f, fcntl.LOCK_SH); fcntl.flock(f, fcntl.LOCK_UN)
' &
bg_pids="$bg_pids $!"

# ---- 1. started while recording ---------------------------------------
container_bundle "$tmp/b1" "$work"
id1=sca-learn-$$-1
containers="$containers $id1"
start_recorder /dev/null "$tmp/r1.log" --all-syscalls --container "$id1" --duration 4 -o "$tmp/c1.trace"
runc run -d --bundle "$tmp/b1" "$id1" </dev/null >"$tmp/run1.out" 2>&1 || { cat "$tmp/run1.out" >&2; fail "runc run"; }
wait "$rec_pid" || { cat "$tmp/r1.log" >&2; fail "record --all-syscalls exited non-zero"; }
runc delete -f "$id1" >/dev/null 2>&1
"$SCA" profile-gen "$tmp/c1.trace" --container "$id1" --default-action kill_process -o "$tmp/p1.json" \
	2>"$tmp/g1.log" || { cat "$tmp/g1.log" >&2; fail "profile-gen"; }
profile_names "$tmp/p1.json" >"$tmp/n1"
for s in getdents64 execve wait4; do
	grep -qx "$s" "$tmp/n1" || fail "the learnt profile lacks $s (the container's ls and sh)"
done
grep -qx flock "$tmp/n1" && fail "the learnt profile allows flock, the host process's call"
# run it under that profile, kill_process for anything else
bundle_seccomp "$tmp/b1" "$tmp/p1.json"
rc=0
runc run --bundle "$tmp/b1" "$id1" </dev/null >"$tmp/run1b.out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { cat "$tmp/run1b.out" >&2; fail "the container under its learnt profile exited $rc"; }

# ---- 2. already running ----------------------------------------------
# it runs on past the recording: 60 rounds
container_bundle "$tmp/b2" "$(echo "$work" | sed 's/-lt 8/-lt 60/')"
id2=sca-learn-$$-2
containers="$containers $id2"
runc run -d --bundle "$tmp/b2" "$id2" </dev/null >"$tmp/run2.out" 2>&1 || { cat "$tmp/run2.out" >&2; fail "runc run 2"; }
sleep 0.5
"$SCA" record --all-syscalls --container "$id2" --duration 2 -o "$tmp/c2.trace" 2>"$tmp/r2.log" ||
	{ cat "$tmp/r2.log" >&2; fail "record a running container"; }
"$SCA" profile-gen "$tmp/c2.trace" --container "$id2" -o "$tmp/p2.json" 2>"$tmp/g2.log" ||
	{ cat "$tmp/g2.log" >&2; fail "profile-gen of the running container"; }
profile_names "$tmp/p2.json" >"$tmp/n2"
for s in getdents64 wait4; do
	grep -qx "$s" "$tmp/n2" || fail "the running container's profile lacks $s"
done
grep -qx flock "$tmp/n2" && fail "the running container's profile allows flock"
runc delete -f "$id2" >/dev/null 2>&1

# ---- 3. 10,000 short-lived processes ---------------------------------
many='i=0; while [ $i -lt 10000 ]; do /bin/busybox true; i=$((i + 1)); done'
container_bundle "$tmp/b3" "$many"
id3=sca-learn-$$-3
containers="$containers $id3"
start_recorder /dev/null "$tmp/r3.log" --all-syscalls --container "$id3" -o "$tmp/c3.trace"
runc run --bundle "$tmp/b3" "$id3" </dev/null >"$tmp/run3.out" 2>&1 || { cat "$tmp/run3.out" >&2; fail "runc run 3"; }
stop_recorder
[ "$rec_rc" -eq 0 ] || { cat "$tmp/r3.log" >&2; fail "record of 10,000 processes exited $rec_rc"; }
n=$("$SCA" analyze "$tmp/c3.trace" --sql "SELECT sum(n) FROM calls_summary WHERE syscall = 'execve'" \
	--format csv | tail -1 | tr -d '\r')
[ "$n" -ge 10000 ] || fail "10,000 processes: $n execve calls learnt"
"$SCA" analyze "$tmp/c3.trace" --sql "SELECT DISTINCT syscall FROM calls_summary" --format csv | tail -n +2 |
	tr -d '\r' | sort -u >"$tmp/sca.names"
# the same script under strace, outside a container: the workload's own calls
strace -f -c -o "$tmp/strace.c" /bin/busybox sh -c "$many" || fail "strace"
awk 'NR > 2 && $NF != "total" && $NF !~ /^-/ { print $NF }' "$tmp/strace.c" | sort -u >"$tmp/strace.names"
missing=$(comm -23 "$tmp/strace.names" "$tmp/sca.names")
[ -z "$missing" ] || fail "10,000 processes: strace counted syscalls sca did not learn: $missing"
echo "PASS: containers learnt ($(wc -l <"$tmp/n1") syscalls, runs under kill_process; running one; $n execs, $(wc -l <"$tmp/strace.names") names as strace)"
