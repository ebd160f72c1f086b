#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# --source auto says in one line which source it chose and why the others
# failed; a forced source that cannot run is an error naming the reason.
set -u
SCA=$1 SEED=$2
. "$(dirname "$0")/lib.sh"
need_root

rc=0
"$SCA" record --duration 0.3 >/dev/null 2>"$tmp/auto.err" || rc=$?
[ "$rc" -eq 0 ] || { cat "$tmp/auto.err" >&2; fail "auto: exit $rc"; }
line=$(grep "^sca record: source " "$tmp/auto.err")
[ "$(echo "$line" | wc -l)" -eq 1 ] || { cat "$tmp/auto.err" >&2; fail "auto: not one source line"; }
case $line in
"sca record: source audit (bpf-fentry: "*"; bpf-kprobe: "*")") chosen=audit ;;
"sca record: source bpf-fentry") chosen=bpf-fentry ;;
"sca record: source bpf-kprobe (bpf-fentry: "*")") chosen=bpf-kprobe ;;
*) fail "auto: unexpected line: $line" ;;
esac

for s in bpf-fentry bpf-kprobe; do
	rc=0
	"$SCA" record --source $s --duration 0.3 >/dev/null 2>"$tmp/$s.err" || rc=$?
	if [ "$rc" -ne 0 ]; then
		[ "$rc" -eq 1 ] && [ "$(wc -l <"$tmp/$s.err")" -eq 1 ] &&
			grep -q "^sca record: the BPF source cannot run here: $s: " "$tmp/$s.err" ||
			{ cat "$tmp/$s.err" >&2; fail "--source $s: exit $rc without one reason line"; }
		[ "$chosen" != "$s" ] || fail "auto chose $s, but --source $s fails"
	fi
done
# In a network namespace of its own, the audit source receives nothing (the
# kernel multicasts audit records in the initial one only): sca says so, and
# indeed sees no event of a seed that logs two.
if command -v unshare >/dev/null; then
	unshare -n "$SCA" record --source audit --duration 2 >"$tmp/netns.out" 2>"$tmp/netns.err" &
	np=$!
	bg_pids="$bg_pids $np"
	wait_recording_in "$tmp/netns.err" "$np" "record in a network namespace"   # subscribed
	"$SEED" "$tmp/seed-netns" >/dev/null 2>&1
	nrc=0
	wait "$np" || nrc=$?
	[ "$nrc" -eq 0 ] || { cat "$tmp/netns.err" >&2; fail "record in a network namespace: exit $nrc"; }
	# the warning needs PID 1's namespace readable (a host's root can; some
	# sandboxes' PID 1 is not): the VM tier checks it where it is
	if stat -L /proc/1/ns/net >/dev/null 2>&1; then
		grep -q "^sca record: warning: not in PID 1's network namespace" "$tmp/netns.err" ||
			{ cat "$tmp/netns.err" >&2; fail "no warning in a network namespace of its own"; }
	else
		echo "note: /proc/1/ns/net unreadable here, so sca cannot tell; warning not checked"
	fi
	grep -q "^sca record: 0 events" "$tmp/netns.err" ||
		{ cat "$tmp/netns.err" >&2; fail "a recorder in another network namespace saw events"; }
	"$SCA" record --source audit --duration 0.3 >/dev/null 2>"$tmp/hostns.err"
	grep -q "network namespace" "$tmp/hostns.err" && fail "warning in the host's network namespace"
fi

# Once recording, only CAP_SYS_PTRACE (19) and CAP_DAC_READ_SEARCH (2) are kept.
# (It says "recording" just before the drop, so poll for a moment.)
start_recorder /dev/null "$tmp/caps.log" --duration 10
i=0
while eff=$(awk '/^CapEff/ { print $2 }' /proc/$rec_pid/status) && [ "$eff" != 0000000000080004 ] && [ $i -lt 40 ]; do
	i=$((i + 1))
	sleep 0.05
done
stop_recorder
[ "$eff" = 0000000000080004 ] || fail "capabilities while recording: $eff, want 0000000000080004"
echo "PASS: --source auto chose $chosen; capabilities dropped to $eff"
