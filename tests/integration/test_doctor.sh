#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# sca doctor against the real kernel: an audit exclude rule that drops
# seccomp records (set with auditctl, as distributions ship them) is named
# as the problem by doctor, warned of by record at start and named as the
# reason when the recording ends with no events; with the rule removed all
# is ok and the seed's two events arrive. Each BPF attachment doctor
# reports must agree with record trying that source, and a kernel built
# without kprobes must be named as the reason. An audit daemon running
# beside sca is named. The test adds only its own rules and removes them.
set -u
SCA=$1 SEED=$2
. "$(dirname "$0")/lib.sh"
need_root
command -v auditctl >/dev/null || skip "auditctl not installed (scripts/deps.sh installs auditd)"
command -v jq >/dev/null || skip "jq not installed (scripts/deps.sh installs it)"

RULE="-F msgtype=SECCOMP"
rules_added=""
auditd_pid=""
LOGGED=/proc/sys/kernel/seccomp/actions_logged
logged_was=$(cat $LOGGED)
doctor_cleanup() {
	[ "$(cat $LOGGED)" = "$logged_was" ] || echo "$logged_was" >$LOGGED
	for r in $rules_added; do
		# shellcheck disable=SC2086
		auditctl -d $(echo "$r" | tr '+' ' ') >/dev/null 2>&1 || true
	done
	[ -z "$auditd_pid" ] || kill "$auditd_pid" 2>/dev/null || true
	cleanup
}
trap doctor_cleanup EXIT HUP INT TERM

# add_rule WORDS: an audit rule the cleanup removes again
add_rule() {
	# shellcheck disable=SC2068
	auditctl -a $@ >/dev/null || fail "auditctl -a $*"
	rules_added="$rules_added $(echo "$*" | tr ' ' '+')"
}

# doctor ARGS: run it, exit status in $drc, output in $tmp/d.out
doctor() {
	drc=0
	"$SCA" doctor "$@" >"$tmp/d.out" 2>"$tmp/d.err" || drc=$?
}

# status NAME: the status doctor's JSON gives check NAME
status() {
	jq -r --arg n "$1" '.checks[] | select(.name == $n) | .status' "$tmp/d.out"
}

evidence() {
	jq -r --arg n "$1" '.checks[] | select(.name == $n) | .evidence' "$tmp/d.out"
}

if auditctl -l | grep -q exclude; then
	skip "this machine has audit exclude rules of its own (auditctl -l); they would change what doctor must say"
fi

# --- no rule: all that matters is ok ------------------------------------
doctor --format json
jq -e '.checks | length > 10 and all(has("name") and has("status") and has("evidence") and has("fix"))' \
	"$tmp/d.out" >/dev/null || fail "doctor --format json: not the documented shape"
[ "$(status audit-rules)" = ok ] || fail "no exclude rule, yet audit-rules is $(status audit-rules)"
[ "$(status audit-source)" = ok ] || fail "audit-source: $(evidence audit-source)"
[ "$drc" -eq 0 ] || fail "doctor exit $drc while the audit source works"
[ "$(jq -r .can_record "$tmp/d.out")" = true ] || fail "can_record is not true"

# Each BPF attachment as doctor reports it, against record trying that source.
fentry=$(status bpf-fentry) kprobe=$(status bpf-kprobe) sysenter=$(status tracepoint-sys-enter)
for s in bpf-fentry bpf-kprobe; do
	rc=0
	"$SCA" record --source $s --duration 0.3 >/dev/null 2>"$tmp/$s.err" || rc=$?
	st=$(status $s)
	if [ "$rc" -eq 0 ]; then
		[ "$st" = ok ] || fail "record --source $s works, doctor says $st: $(evidence $s)"
	else
		[ "$st" = warning ] || fail "record --source $s fails, doctor says $st"
		# the kernel's error record reports is the one doctor shows
		err=$(sed -n "s/^sca record: the BPF source cannot run here: $s: //p" "$tmp/$s.err")
		[ -n "$err" ] || { cat "$tmp/$s.err" >&2; fail "record --source $s: no reason line"; }
		case $s in
		bpf-fentry) evidence $s | grep -qF "$err" || fail "doctor's $s evidence lacks record's reason '$err': $(evidence $s)" ;;
		esac
	fi
done
# A kernel built without kprobes: doctor tried for real, and names the build option.
if zcat /proc/config.gz 2>/dev/null | grep -q '^# CONFIG_KPROBES is not set'; then
	[ "$kprobe" = warning ] || fail "CONFIG_KPROBES is off, yet bpf-kprobe is $kprobe"
	evidence bpf-kprobe | grep -q "attaching to audit_seccomp: .*CONFIG_KPROBES is not set" ||
		fail "bpf-kprobe evidence names neither the kernel's error nor the option: $(evidence bpf-kprobe)"
fi
rc=0
"$SCA" record --all-syscalls --pid $$ --duration 0.3 >/dev/null 2>"$tmp/sys.err" || rc=$?
if [ "$rc" -eq 0 ]; then want=ok; else want=warning; fi
[ "$sysenter" = "$want" ] || fail "record --all-syscalls exits $rc, doctor's tracepoint-sys-enter is $sysenter"
echo "doctor: bpf-fentry $fentry, bpf-kprobe $kprobe, tracepoint-sys-enter $sysenter, tracepoint-sched $(status tracepoint-sched)"

# Each runtime's version as it gives it, and what doctor says of its seccomp
# flags against the runtime running a container whose profile sets
# SECCOMP_FILTER_FLAG_LOG and refuses mkdir with errno: a runtime that
# applies the flag makes the refusal an event; one that refuses flags fails.
if command -v runc >/dev/null && [ -x /bin/busybox ]; then
	printf '%s' '{"defaultAction":"SCMP_ACT_ALLOW","flags":["SECCOMP_FILTER_FLAG_LOG"],"syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}' >"$tmp/flaglog.json"
	container_bundle "$tmp/flagb" '/bin/busybox mkdir /tmp/flag-log-probe; exit 0' "$tmp/flaglog.json"
	for rt in runc crun; do
		command -v $rt >/dev/null || continue
		v=$($rt --version | head -1)
		evidence runtime-$rt | grep -qF "$v" || fail "runtime-$rt does not give '$v': $(evidence runtime-$rt)"
		start_recorder "$tmp/$rt.out" "$tmp/$rt.rec" --source audit --comm busybox --syscall mkdir -o "$tmp/$rt.trace"
		containers="$containers doctor-$rt"
		rrc=0
		if [ $rt = crun ]; then
			(cd "$tmp/flagb" && crun_cmd run doctor-$rt) >"$tmp/$rt.run" 2>&1 || rrc=$?
		else
			(cd "$tmp/flagb" && runc run doctor-$rt) >"$tmp/$rt.run" 2>&1 || rrc=$?
		fi
		sleep 0.5
		stop_recorder
		n=$(sed -n 's/^sca record: \([0-9]*\) events.*/\1/p' "$tmp/$rt.rec")
		st=$(status runtime-$rt)
		if [ "$rrc" -eq 0 ] && [ "$n" = 1 ]; then
			[ "$st" = ok ] || fail "$rt applied SECCOMP_FILTER_FLAG_LOG, doctor says $st: $(evidence runtime-$rt)"
			echo "$rt applies seccomp flags; doctor: $(evidence runtime-$rt)"
		elif grep -q "seccomp flags" "$tmp/$rt.run"; then
			[ "$st" = warning ] || fail "$rt refuses seccomp flags, doctor says $st: $(evidence runtime-$rt)"
			echo "$rt refuses seccomp flags; doctor: $(evidence runtime-$rt)"
		else
			cat "$tmp/$rt.run" "$tmp/$rt.rec" >&2
			fail "$rt: exit $rrc, $n events: neither applied nor refused the flag"
		fi
	done
fi

# --- the exclude rule distributions ship -----------------------------------
add_rule exclude,always $RULE
doctor
grep -q '^problem audit-rules  *the exclude rule "-a always,exclude -F msgtype=SECCOMP" drops every seccomp record' \
	"$tmp/d.out" || { cat "$tmp/d.out" >&2; fail "doctor does not name the exclude rule as the problem"; }
grep -q '; fix: auditctl -d always,exclude -F msgtype=SECCOMP' "$tmp/d.out" || fail "no fix given for the rule"
# exit 1 exactly when no BPF source serves instead of the silenced audit source
if [ "$fentry" = ok ] || [ "$kprobe" = ok ]; then want=0; else want=1; fi
[ "$drc" -eq "$want" ] || fail "doctor exit $drc with the rule set (want $want)"
[ "$want" -eq 0 ] || grep -q '^verdict: sca cannot record seccomp audit events here: audit-rules: ' "$tmp/d.out" ||
	fail "no verdict naming the rule"
doctor --format json
[ "$(status audit-rules)" = problem ] || fail "json: audit-rules is $(status audit-rules)"
[ "$(jq -r .can_record "$tmp/d.out")" = "$([ "$want" -eq 0 ] && echo true || echo false)" ] ||
	fail "json: can_record disagrees with the exit status"

# record warns at start, sees nothing of the seed, and says why at the end
start_recorder "$tmp/r.out" "$tmp/r.err" --source audit -o "$tmp/r.trace"
grep -q '^sca record: warning: the exclude rule "-a always,exclude -F msgtype=SECCOMP" drops every' "$tmp/r.err" ||
	{ cat "$tmp/r.err" >&2; fail "record does not warn of the rule at start"; }
"$SEED" "$tmp/seed1" >/dev/null 2>&1
sleep 0.5
stop_recorder
grep -q '^sca record: no events, likely because: the exclude rule "-a always,exclude' "$tmp/r.err" ||
	{ cat "$tmp/r.err" >&2; fail "record ended with no events without naming the rule"; }

# on the exclude list a match drops, whatever the action
auditctl -d exclude,always $RULE >/dev/null || fail "auditctl -d"
rules_added=""
add_rule exclude,never $RULE
doctor
grep -q '^problem audit-rules  *the exclude rule "-a never,exclude -F msgtype=SECCOMP"' "$tmp/d.out" ||
	{ cat "$tmp/d.out" >&2; fail "an exclude,never rule is not named"; }
auditctl -d exclude,never $RULE >/dev/null || fail "auditctl -d"
rules_added=""

# a rule that drops some processes' records only: a warning, recording works
add_rule exclude,always $RULE -F uid=4242
doctor
grep -q '^warning audit-rules  *the exclude rule "-a always,exclude -F msgtype=SECCOMP -F uid=4242" drops the seccomp records of the processes it matches' \
	"$tmp/d.out" || { cat "$tmp/d.out" >&2; fail "a uid rule is not a warning"; }
[ "$drc" -eq 0 ] || fail "doctor exit $drc with a rule that drops only uid 4242's records"
auditctl -d exclude,always $RULE -F uid=4242 >/dev/null || fail "auditctl -d"
rules_added=""

# --- removed: ok again, and the seed's events arrive ---------------------
doctor
grep -q '^ok  *audit-rules ' "$tmp/d.out" || fail "rule removed, audit-rules not ok"
[ "$drc" -eq 0 ] || fail "doctor exit $drc after the rule was removed"
start_recorder "$tmp/r2.out" "$tmp/r2.err" --source audit -o "$tmp/r2.trace"
! grep -q "warning: the exclude rule" "$tmp/r2.err" || fail "record warns of a rule that is gone"
"$SEED" "$tmp/seed2" >/dev/null 2>&1
settle
stop_recorder
grep -q "^sca record: 2 events" "$tmp/r2.err" || { cat "$tmp/r2.err" >&2; fail "not the seed's 2 events"; }
! grep -q "no events" "$tmp/r2.err" || fail "a 'no events' reason with events"

# filters that keep nothing: that is the reason given
start_recorder "$tmp/r3.out" "$tmp/r3.err" --source audit --comm no-such-comm -o "$tmp/r3.trace"
"$SEED" "$tmp/seed3" >/dev/null 2>&1
sleep 1
stop_recorder
grep -q "^sca record: no events, likely because 2 events arrived and none matched the filters given" "$tmp/r3.err" ||
	{ cat "$tmp/r3.err" >&2; fail "filtered-out events are not the reason given"; }

# -- CMD under a profile that refuses nothing it makes: no refusal, no guess
printf '%s' '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["reboot"],"action":"SCMP_ACT_ERRNO"}]}' >"$tmp/allow.json"
rc=0
"$SCA" record --profile "$tmp/allow.json" -o "$tmp/r6.trace" -- /bin/true >/dev/null 2>"$tmp/r6.err" || rc=$?
[ "$rc" -eq 0 ] || { cat "$tmp/r6.err" >&2; fail "record --profile -- true: exit $rc"; }
grep -q "^sca record: 0 events" "$tmp/r6.err" || { cat "$tmp/r6.err" >&2; fail "record --profile: not 0 events"; }
! grep -q "no events" "$tmp/r6.err" || { cat "$tmp/r6.err" >&2; fail "a reason for no events under a profile that refused nothing"; }

# without CAP_AUDIT_CONTROL the status and rules cannot be asked: warned of
# at start, but that is no reason for a quiet recording
if command -v setpriv >/dev/null; then
	rc=0
	setpriv --bounding-set=-audit_control --inh-caps=-audit_control \
		"$SCA" record --source audit --duration 0.5 >/dev/null 2>"$tmp/r5.err" || rc=$?
	[ "$rc" -eq 0 ] || { cat "$tmp/r5.err" >&2; fail "record without CAP_AUDIT_CONTROL: exit $rc"; }
	grep -q "^sca record: warning: cannot ask the kernel its audit status" "$tmp/r5.err" ||
		{ cat "$tmp/r5.err" >&2; fail "no warning that the audit status cannot be asked"; }
	grep -q "^sca record: no events, likely because no seccomp filter logged anything" "$tmp/r5.err" ||
		{ cat "$tmp/r5.err" >&2; fail "an unaskable status given as the reason for no events"; }
fi

# an audit daemon beside sca is named, with its pid
if command -v auditd >/dev/null && [ "$(auditctl -s | sed -n 's/^pid //p')" = 0 ]; then
	auditd -n -s nochange >/dev/null 2>&1 &
	auditd_pid=$!
	i=0
	while [ "$(auditctl -s | sed -n 's/^pid //p')" != "$auditd_pid" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	doctor
	grep -q "^ok  *auditd  *the audit daemon auditd (pid $auditd_pid) runs beside sca" "$tmp/d.out" ||
		{ cat "$tmp/d.out" >&2; fail "auditd (pid $auditd_pid) is not named"; }
	kill "$auditd_pid"
	wait "$auditd_pid" 2>/dev/null || true
	auditd_pid=""
fi

# actions_logged without log: named, and indeed the seed's logged mkdir
# never arrives while its kill_thread does; with nothing logged, a problem
echo "kill_process kill_thread trap errno user_notif trace" >$LOGGED || fail "cannot write $LOGGED"
doctor
grep -q "^warning seccomp-actions  *actions_logged is \"kill_process kill_thread trap errno user_notif trace\": filters' log actions are never logged" \
	"$tmp/d.out" || { cat "$tmp/d.out" >&2; fail "a missing log action is not named"; }
start_recorder "$tmp/r4.out" "$tmp/r4.err" --source audit -o "$tmp/r4.trace"
grep -q "^sca record: warning: actions_logged is " "$tmp/r4.err" || fail "record does not warn of actions_logged"
pid=$("$SEED" "$tmp/seed4" 2>/dev/null)
settle
stop_recorder
[ "$(events_of "$tmp/r4.trace" "$pid")" = "unshare kill_thread" ] ||
	fail "without log in actions_logged: got [$(events_of "$tmp/r4.trace" "$pid")], want the kill only"
echo >$LOGGED
doctor
grep -q '^problem seccomp-actions  *actions_logged is "": the kernel logs no seccomp action' "$tmp/d.out" ||
	{ cat "$tmp/d.out" >&2; fail "an empty actions_logged is not a problem"; }
[ "$drc" -eq 1 ] || fail "doctor exit $drc with nothing logged"
echo "$logged_was" >$LOGGED

# as an unprivileged user nothing can record: the audit source is the
# problem named in the verdict, exit 1
if command -v setpriv >/dev/null; then
	rc=0
	setpriv --reuid=65534 --regid=65534 --clear-groups "$SCA" doctor >"$tmp/np.out" 2>&1 || rc=$?
	[ "$rc" -eq 1 ] || { cat "$tmp/np.out" >&2; fail "doctor as nobody: exit $rc, want 1"; }
	grep -q '^problem audit-source  *the audit source cannot subscribe: reading kernel audit records needs root or CAP_AUDIT_READ' \
		"$tmp/np.out" || { cat "$tmp/np.out" >&2; fail "doctor as nobody: the audit source is not the problem"; }
	grep -q '^verdict: sca cannot record seccomp audit events here: audit-source: ' "$tmp/np.out" ||
		fail "doctor as nobody: no verdict naming the audit source"
fi

# usage errors
rc=0
"$SCA" doctor --format yaml >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "--format yaml: exit $rc, want 2"
rc=0
"$SCA" doctor extra >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "an argument: exit $rc, want 2"
echo "PASS"
