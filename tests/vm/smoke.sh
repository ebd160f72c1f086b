#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The VM smoke suite (run by run.sh inside the VM as /suite.sh, busybox sh,
# root): proves the VM is what the BPF suite needs. A real distribution
# kernel with BTF, the built sca running, real seccomp audit events made by
# `seed`, and the hooks the BPF source attaches to (fentry through ftrace,
# or a kprobe) on audit_seccomp, each shown to fire on seed's events.
#
# Output: one `VM-TEST NAME PASS|FAIL|SKIP detail` line per check; other
# lines are context for the console log. Exit 1 if any check failed.
set -u
nfail=0
pass() { n=$1; shift; echo "VM-TEST $n PASS $*"; }
fail() { n=$1; shift; echo "VM-TEST $n FAIL $*"; nfail=$((nfail + 1)); }
skip() { n=$1; shift; echo "VM-TEST $n SKIP $*"; }

T=/sys/kernel/tracing
[ -d $T/events ] || T=/sys/kernel/debug/tracing

# run_seed DIR: run seed (mkdir logged, unshare kills it); print its pid.
run_seed() {
	"$SEED" "$1" 2>/dev/null
	return 0
}

# wait_for CMD...: retry CMD for up to 3 s (kauditd logs asynchronously).
wait_for() {
	i=0
	while ! "$@"; do
		i=$((i + 1))
		[ $i -ge 30 ] && return 1
		sleep 0.1
	done
}

# --- the kernel --------------------------------------------------------------
rel=$(uname -r)
if [ "$rel" = "${VM_KERNEL_RELEASE:-}" ]; then
	pass kernel "$rel ($(uname -v | cut -c1-40))"
else
	fail kernel "uname -r is $rel, expected ${VM_KERNEL_RELEASE:-?}"
fi
echo "cpus: $(grep -c ^processor /proc/cpuinfo), memory: $(awk '/MemTotal/ { print $2 " kB" }' /proc/meminfo)"

if [ -r /sys/kernel/btf/vmlinux ]; then
	pass btf "/sys/kernel/btf/vmlinux, $(wc -c </sys/kernel/btf/vmlinux) bytes"
else
	fail btf "no /sys/kernel/btf/vmlinux"
fi

m=""
grep -q ' /sys/fs/bpf bpf ' /proc/mounts || m="$m bpffs"
grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts || m="$m cgroup2"
[ -d $T/events ] || m="$m tracefs"
[ -d /sys/kernel/debug/tracing ] || [ -d /sys/kernel/debug/kprobes ] || m="$m debugfs"
if [ -z "$m" ]; then
	pass mounts "bpffs, cgroup2, debugfs, tracefs at $T"
else
	fail mounts "not mounted:$m"
fi

if [ -r /sys/kernel/security/lockdown ]; then
	ld=$(cat /sys/kernel/security/lockdown)
	case $ld in
	*"[none]"*) pass lockdown "$ld" ;;
	*) fail lockdown "kernel lockdown is on: $ld (BPF reads of kernel memory may be refused)" ;;
	esac
else
	pass lockdown "no lockdown LSM"
fi

# --- sca ----------------------------------------------------------------------
if v=$("$SCA" version 2>&1); then
	pass sca_version "$(echo "$v" | head -1)"
else
	fail sca_version "sca version failed: $(echo "$v" | head -1)"
fi

# --- seccomp audit events without an audit daemon ------------------------------
echo "seccomp actions_logged: $(cat /proc/sys/kernel/seccomp/actions_logged 2>/dev/null)"
dmesg -c >/dev/null 2>&1
pid=$(run_seed /tmp/seed1)
if [ -z "$pid" ]; then
	fail seed_dmesg "seed printed no pid"
else
	got() { dmesg | grep 'type=1326' | grep -q "pid=$pid .*syscall=$1 "; }
	wait_for got 272
	echo "kernel log of seed pid $pid:"
	dmesg | grep "type=1326" | grep "pid=$pid " | sed 's/^/  /'
	if got 83 && got 272; then
		n=$(dmesg | grep 'type=1326' | grep -c "pid=$pid ")
		pass seed_dmesg "$n type=1326 lines for seed pid $pid (mkdir log, unshare kill) in the kernel log"
	else
		fail seed_dmesg "no type=1326 lines for both mkdir (83) and unshare (272) of pid $pid in dmesg"
	fi
fi

# --- kprobes --------------------------------------------------------------------
if grep -q ' audit_seccomp$' /proc/kallsyms; then
	pass kallsyms "$(grep ' audit_seccomp$' /proc/kallsyms | awk '{ print $3 " (" $2 ")" }')"
else
	fail kallsyms "no audit_seccomp in /proc/kallsyms"
fi

if [ ! -e /sys/kernel/debug/kprobes/list ] && [ ! -e $T/kprobe_events ]; then
	fail kprobe "no kprobes (neither /sys/kernel/debug/kprobes nor $T/kprobe_events)"
elif [ ! -w $T/kprobe_events ]; then
	fail kprobe "$T/kprobe_events not writable"
elif ! echo 'p:sca_smoke audit_seccomp' >>$T/kprobe_events 2>/dev/null; then
	fail kprobe "cannot place a kprobe on audit_seccomp"
else
	echo >$T/trace
	echo 1 >$T/events/kprobes/sca_smoke/enable
	kpid=$(run_seed /tmp/seed2)
	echo 0 >$T/events/kprobes/sca_smoke/enable
	hits=$(grep -c "sca_smoke:" $T/trace)
	echo '-:sca_smoke' >>$T/kprobe_events
	if [ "$hits" -ge 2 ]; then
		pass kprobe "kprobe on audit_seccomp fired $hits times for seed pid $kpid"
	else
		fail kprobe "kprobe on audit_seccomp fired $hits times for seed pid $kpid (want 2)"
	fi
fi

# fentry programs attach through ftrace's patchable function entry: the
# function must be in available_filter_functions, and tracing it works.
if [ ! -r $T/available_filter_functions ]; then
	fail ftrace "no $T/available_filter_functions"
elif ! grep -q '^audit_seccomp$' $T/available_filter_functions; then
	fail ftrace "audit_seccomp is not in available_filter_functions (fentry cannot attach)"
else
	echo audit_seccomp >$T/set_ftrace_filter
	echo >$T/trace
	echo function >$T/current_tracer
	fpid=$(run_seed /tmp/seed3)
	hits=$(grep -c " audit_seccomp <-" $T/trace)   # before the switch clears it
	echo nop >$T/current_tracer
	echo >$T/set_ftrace_filter
	if [ "$hits" -ge 2 ]; then
		pass ftrace "function tracer on audit_seccomp fired $hits times for seed pid $fpid (fentry can attach)"
	else
		fail ftrace "function tracer on audit_seccomp fired $hits times for seed pid $fpid (want 2)"
	fi
fi

# With bpftool in the image (VM_EXTRA_FILES): BTF for audit_seccomp and
# the program types the BPF source uses.
if command -v bpftool >/dev/null 2>&1; then
	# the fentry program's arguments must match this prototype
	bpftool btf dump file /sys/kernel/btf/vmlinux >/tmp/btf.txt 2>/dev/null
	tid=$(sed -n "s/^\[[0-9]*\] FUNC 'audit_seccomp' type_id=\([0-9]*\).*/\1/p" /tmp/btf.txt)
	args=""
	[ -n "$tid" ] && args=$(awk -v id="[$tid]" '
		$1 == id { p = 1; next }
		p && /^[ \t]+'"'"'/ { gsub("'"'"'", "", $1); printf "%s%s", sep, $1; sep = ", "; next }
		p { exit }' /tmp/btf.txt)
	rm -f /tmp/btf.txt
	if [ -z "$tid" ]; then
		fail btf_audit_seccomp "no FUNC 'audit_seccomp' in /sys/kernel/btf/vmlinux"
	elif [ "$args" = "syscall, signr, code" ]; then
		pass btf_audit_seccomp "FUNC audit_seccomp($args) in the kernel BTF"
	else
		fail btf_audit_seccomp "BTF prototype audit_seccomp($args), expected (syscall, signr, code)"
	fi
	probe=$(bpftool feature probe kernel 2>/dev/null)
	bad=""
	for t in tracing kprobe tracepoint raw_tracepoint; do
		echo "$probe" | grep -q "eBPF program_type $t is available" || bad="$bad $t"
	done
	if [ -z "$bad" ]; then
		pass bpf_prog_types "tracing, kprobe, tracepoint, raw_tracepoint available"
	else
		fail bpf_prog_types "not available:$bad"
	fi
	echo "$probe" | grep -E 'program_type (tracing|kprobe)|map_type ringbuf|bpf_probe_read_kernel|bpf_get_current_task_btf' | sort -u | head -12 | sed 's/^/  /'
else
	skip btf_audit_seccomp "bpftool not in the image"
	skip bpf_prog_types "bpftool not in the image"
fi

# --- sca's audit source in the VM -------------------------------------------------
"$SCA" record -o /tmp/seed.trace >/dev/null 2>/tmp/rec.log &
rpid=$!
i=0
while ! grep -q recording /tmp/rec.log 2>/dev/null && [ $i -lt 600 ] && kill -0 $rpid 2>/dev/null; do
	i=$((i + 1))
	sleep 0.1
done
if ! grep -q recording /tmp/rec.log; then
	fail sca_record_audit "sca record did not start: $(head -1 /tmp/rec.log)"
	kill -9 $rpid 2>/dev/null
else
	spid=$(run_seed /tmp/seed4)
	sleep 1.5    # kauditd lags under TCG
	kill -INT $rpid
	wait $rpid
	rrc=$?
	got=$("$SCA" inspect --events /tmp/seed.trace 2>&1 |
		awk -v p="$spid" '/^[0-9][0-9][0-9][0-9]-/ && $2 == p { printf "%s %s; ", $6, $7 }')
	if [ $rrc -eq 0 ] && [ "$got" = "mkdir log; unshare kill_thread; " ]; then
		pass sca_record_audit "seed pid $spid: $got"
	else
		fail sca_record_audit "rc $rrc, seed pid $spid: [$got]; $(tail -1 /tmp/rec.log)"
	fi
fi

[ $nfail -eq 0 ]
