# SPDX-License-Identifier: BSD-2-Clause
# Shared helpers for the integration tests (sourced; POSIX sh).
# Each test exits 0 pass, 1 fail, 77 skip (ctest SKIP_RETURN_CODE).

tmp=$(mktemp -d /tmp/sca-it-XXXXXX)
bg_pids=""
containers=""   # runc or crun containers a test started: deleted at the end
cleanup() {
	for p in $bg_pids; do kill -9 "$p" 2>/dev/null || true; done
	for c in $containers; do
		runc delete -f "$c" >/dev/null 2>&1 || true
		if command -v crun >/dev/null; then crun_cmd delete -f "$c" >/dev/null 2>&1 || true; fi
	done
	rm -rf "$tmp"
}
trap cleanup EXIT HUP INT TERM

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $*"
	exit 77
}

# need_containers: runc, jq and busybox-static, for the container tests
need_containers() {
	command -v runc >/dev/null || skip "runc not installed (scripts/deps.sh installs it)"
	command -v jq >/dev/null || skip "jq not installed (scripts/deps.sh installs it)"
	[ -x /bin/busybox ] || skip "busybox-static not installed (scripts/deps.sh installs it)"
}

need_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (audit netlink, seccomp logging)"
}

# start_recorder OUT LOG ARGS...: start `sca record ARGS` in the background
# (stdout to OUT, stderr to LOG) and wait until it says it is recording.
# Sets rec_pid.
start_recorder() {
	out=$1
	log=$2
	shift 2
	"$SCA" record "$@" >"$out" 2>"$log" &
	rec_pid=$!
	bg_pids="$bg_pids $rec_pid"
	wait_recording_in "$log" "$rec_pid" "sca record"
}

# wait_recording_in LOG PID WHAT: until LOG says sca is recording (its
# source is open); fail, naming WHAT, if PID exits or 15 s pass first
# (generous: a sanitizer build under load, or runc creating a container,
# can take seconds, and a live recorder ends the wait at once).
wait_recording_in() {
	i=0
	while ! grep -q "recording" "$1" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 "$2" 2>/dev/null; then
			cat "$1" >&2
			fail "$3 did not start"
		fi
		sleep 0.05
	done
}

# settle: audit records reach the socket through the kernel's kauditd
# thread, which lags under load; SIGINT reads only what has arrived.
settle() {
	sleep 1
}

# The seed's scenario in a container, as a shell runs it: wait a moment,
# then mkdir (logged) and unshare (kills the thread), each child reaped at
# once; the container then lives on for a while (the tests read its state).
# The audit source reads /proc after a record arrives, when the killed
# child is long gone: its container comes from the process tracker.
seed_work='/bin/busybox sleep 1; /bin/busybox mkdir /tmp/seed; /bin/busybox unshare -n /bin/busybox true; exec /bin/busybox sleep 3'

# bundle_rootfs DIR: DIR/rootfs holds busybox-static, and DIR/config.json
# (runc spec's) is there; an earlier config.json is kept.
bundle_rootfs() {
	mkdir -p "$1/rootfs/bin" "$1/rootfs/tmp" "$1/rootfs/proc" "$1/rootfs/dev" "$1/rootfs/sys"
	cp /bin/busybox "$1/rootfs/bin/busybox"
	[ -f "$1/config.json" ] || (cd "$1" && runc spec) || fail "runc spec in $1"
}

# container_bundle DIR SCRIPT [PROFILE]: an OCI bundle in DIR whose
# busybox-static rootfs runs `sh -c SCRIPT`, under the OCI seccomp profile
# in the file PROFILE (none: no seccomp).
container_bundle() {
	bundle_rootfs "$1"
	jq --arg w "$2" '.process.terminal = false | .process.args = ["/bin/busybox", "sh", "-c", $w]
	  | .root.readonly = false | del(.linux.seccomp)' "$1/config.json" >"$1/c.new" &&
		mv "$1/c.new" "$1/config.json" || fail "jq on $1/config.json"
	[ -z "${3:-}" ] || bundle_seccomp "$1" "$3"
}

# bundle_seccomp DIR PROFILE: the bundle's seccomp profile is the one in the file PROFILE.
bundle_seccomp() {
	jq --slurpfile p "$2" '.linux.seccomp = $p[0]' "$1/config.json" >"$1/c.new" &&
		mv "$1/c.new" "$1/config.json" || fail "jq: $2 into $1/config.json"
}

# crun_cmd ARGS...: crun. It refuses a hybrid cgroup layout whose v2
# hierarchy has a controller (hugetlb on these machines); in a mount
# namespace of its own without that hierarchy it sees plain v1. The
# machine's mounts stay as they are.
crun_cmd() {
	if grep -q . /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null; then
		unshare -m --propagation private sh -c 'umount /sys/fs/cgroup/unified && exec crun "$@"' crun "$@"
	else
		crun "$@"
	fi
}

# busybox_bundle DIR SCRIPT ANNOTATIONS_JSON: an OCI bundle in DIR whose
# busybox-static rootfs runs `sh -c SCRIPT` under the seed's filter (mkdir
# logged, unshare kills the thread), with these annotations.
busybox_bundle() {
	rm -f "$1/config.json"
	bundle_rootfs "$1"
	jq --arg w "$2" --argjson a "$3" '.process.terminal = false
	  | .process.args = ["/bin/busybox", "sh", "-c", $w]
	  | .root.readonly = false
	  | .annotations = $a
	  | .linux.seccomp = {
	      "defaultAction": "SCMP_ACT_ALLOW",
	      "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
	      "syscalls": [
	        {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_LOG"},
	        {"names": ["unshare"], "action": "SCMP_ACT_KILL_THREAD"}
	      ]}' "$1/config.json" >"$1/config.new" && mv "$1/config.new" "$1/config.json" ||
		fail "jq on $1/config.json"
}

# stop_recorder: SIGINT, then wait for it; sets rec_rc.
stop_recorder() {
	kill -INT "$rec_pid"
	rec_rc=0
	wait "$rec_pid" || rec_rc=$?
}

# events_of TRACE PID: the event lines of PID, as "syscall action" (not
# the syscall source's counted calls, "SYSCALL calls N").
events_of() {
	"$SCA" inspect --events "$1" | awk -v p="$2" '/^[0-9][0-9][0-9][0-9]-/ && $2 == p && $7 != "calls" { print $6, $7 }'
}
