#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Container profiles that always start: for runc and for crun, a busybox
# container learnt once under a filter (sca record --all-syscalls
# --container), so the container cut applies and the profile holds only
# what ran under the filter, not the runtime's setup (no pivot_root);
# profile-gen adds the runtime's needs and the signal calls and says so
# (--no-runtime-needs does not); then 20 starts under that profile, default
# kill_process, the filter in force: all exit 0, none retried.
#   Usage: test_container_starts.sh SCA [STARTS [count]]
# With count, a failed start is counted, not fatal, and each runtime's line
# says starts, failures and the median start time:
# bench/bench_container_starts.sh runs the long loop so.
set -u
SCA=$1
N=${2:-20}
COUNT=${3:-}
. "$(dirname "$0")/lib.sh"
need_root
need_containers
cd "$tmp" || exit 1

runc_cmd() {
	runc "$@"
}

# the workload says whether it runs under a filter (Seccomp: 2)
work='/bin/busybox ls / >/dev/null && /bin/busybox grep Seccomp: /proc/self/status'

# bundle DIR SCRIPT SECCOMP_JSON: container_bundle with the profile given as JSON
bundle() {
	printf '%s\n' "$3" >"$1.seccomp.json"
	container_bundle "$1" "$2" "$1.seccomp.json"
}

# an allow-all filter with one rule, to learn under: what runs under it is FILTERED
allow_all='{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
  "syscalls": [{"names": ["mkdirat"], "action": "SCMP_ACT_LOG"}]}'

# starts RT: learn a container of runtime RT once, then N starts under its profile
starts() {
	rt=$1
	b=$tmp/$rt
	id=sca-starts-$$-$rt
	containers="$containers $id"
	# learning: created, then started a moment later, so that the recorder
	# knows the container before its init loads the filter; the workload
	# lives on a second, so its calls are written while it runs
	bundle "$b" "$work; /bin/busybox sleep 1" "$allow_all"
	start_recorder /dev/null "$rt-rec.log" --all-syscalls --container "$id" -o "$rt.trace"
	"${rt}_cmd" create --bundle "$b" "$id" </dev/null >"$rt-learn.out" 2>&1 ||
		{ cat "$rt-learn.out" >&2; fail "$rt create while learning"; }
	sleep 0.5
	"${rt}_cmd" start "$id" >>"$rt-learn.out" 2>&1 || { cat "$rt-learn.out" >&2; fail "$rt start while learning"; }
	sleep 2.5
	"${rt}_cmd" delete -f "$id" >/dev/null 2>&1
	stop_recorder
	[ "$rec_rc" -eq 0 ] || { cat "$rt-rec.log" >&2; fail "$rt: record --all-syscalls --container exited $rec_rc"; }

	"$SCA" profile-gen "$rt.trace" --container "$id" --default-action kill_process -o "$rt.json" \
		2>"$rt-gen.log" || { cat "$rt-gen.log" >&2; fail "$rt: profile-gen"; }
	grep -q "^sca profile-gen: runtime needs ($rt): added .*restart_syscall" "$rt-gen.log" ||
		{ cat "$rt-gen.log" >&2; fail "$rt: profile-gen did not say it added the runtime's needs"; }
	names=$(jq -r '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | unique | join(" ")' "$rt.json")
	for s in rt_sigreturn restart_syscall execve getdents64; do
		case " $names " in *" $s "*) ;; *) fail "$rt: the profile lacks $s: $names" ;; esac
	done
	# the cut: the runtime's setup before the filter is not the container's
	for s in pivot_root mount sethostname; do
		case " $names " in *" $s "*) fail "$rt: the profile allows $s, the runtime's call before its filter" ;; esac
	done
	"$SCA" profile-gen "$rt.trace" --container "$id" --default-action kill_process --no-runtime-needs \
		-o "$rt-bare.json" 2>"$rt-bare.log" || { cat "$rt-bare.log" >&2; fail "$rt: profile-gen --no-runtime-needs"; }
	! grep -q "runtime needs" "$rt-bare.log" && ! grep -q '"restart_syscall"' "$rt-bare.json" ||
		fail "$rt: --no-runtime-needs added them"

	# N starts under the profile, kill_process for anything else
	bundle "$b" "$work" "$(cat "$rt.json")"
	t0=$(date +%s.%N)
	i=0 failed=0
	: >"$rt.times"
	while [ $i -lt "$N" ]; do
		i=$((i + 1))
		c=$id-$i
		containers="$id $c"     # what may be left: not every start's
		rc=0
		s0=$(date +%s%N)
		"${rt}_cmd" run --bundle "$b" "$c" </dev/null >run.out 2>&1 || rc=$?
		echo $(($(date +%s%N) - s0)) >>"$rt.times"
		"${rt}_cmd" delete -f "$c" >/dev/null 2>&1
		[ "$rc" -eq 0 ] && grep -q "^Seccomp:[[:space:]]*2$" run.out && continue
		failed=$((failed + 1))
		cat run.out >&2
		[ -n "$COUNT" ] || fail "$rt: start $i of $N under the learnt profile exited $rc"
		echo "$rt: start $i of $N exited $rc" >&2
	done
	med=$(sort -n "$rt.times" | awk '{ v[NR] = $1 } END { printf "%.1f", ((NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) / 1e6 }')
	echo "$rt: starts $N, failures $failed, median start $med ms, under a profile of" \
		"$(echo "$names" | wc -w) syscalls (kill_process), in $(echo "$t0 $(date +%s.%N)" | awk '{ printf "%.1f", $2 - $1 }') s"
	fails=$((fails + failed))
}
fails=0

starts runc
if command -v crun >/dev/null; then
	starts crun
	[ "$fails" -eq 0 ] || fail "$fails starts failed"
	echo "PASS: runc and crun containers learnt under a filter start $N times of $N under their profiles"
else
	echo "note: crun not installed (scripts/deps.sh installs it); not run"
	[ "$fails" -eq 0 ] || fail "$fails starts failed"
	echo "PASS: a runc container learnt under a filter starts $N times of $N under its profile"
fi
