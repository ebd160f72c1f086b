#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# run.sh BUILD_DIR SUITE_SCRIPT [TIMEOUT_S]
#
# Boot a real Debian distribution kernel under QEMU with an initramfs that
# holds busybox-static, the built `sca`, the integration test programs
# (`seed`, `logspam`) and every shared library they need, run SUITE_SCRIPT
# in it as root, and turn its output into per-check results.
#
# Inside the VM:
#   /init mounts proc, sysfs, devtmpfs, devpts, tmpfs (/tmp, /run,
#   /dev/shm), debugfs, tracefs, securityfs, bpffs (/sys/fs/bpf) and cgroup2
#   (/sys/fs/cgroup), prints `VM-INIT-START`, runs `sh /suite.sh` in /tmp,
#   prints `VM-SUITE-END rc=N` and powers off.
#   Programs: /usr/local/bin/{sca,seed,logspam} (also in $SCA, $SEED,
#   $LOGSPAM; /usr/local/bin is first in PATH); busybox applets everywhere
#   else; the kernel's config at /boot/config-$(uname -r).
#   Files named in VM_EXTRA_FILES (space-separated host paths, files or
#   directories) are copied to the same paths, with the shared libraries
#   of any dynamic executables among them.
#
# The suite reports one line per check on stdout:
#   VM-TEST NAME PASS [detail]
#   VM-TEST NAME FAIL reason
#   VM-TEST NAME SKIP reason
# and exits 0 when no check failed (77: the whole suite does not apply).
#
# Exit status: 0 the VM booted, the suite ended with rc=0, at least one
# check passed and none failed; 1 it ran and failed (or timed out, or the
# kernel or /init died): the console log's tail is printed; 77 (ctest SKIP)
# QEMU, busybox-static or the kernel cannot be had, or the suite itself
# ended with rc=77: one line with the reason. It never exits 0 without
# having seen `VM-SUITE-END rc=0` on the VM's serial console.
#
# Environment: VM_EXTRA_FILES (above); VM_ACCEL=kvm|tcg forces an
# accelerator (default: KVM when /dev/kvm is usable and boots within
# VM_KVM_WAIT_S seconds (20), else TCG); VM_APPEND adds kernel
# parameters.
#
# Everything is built under BUILD_DIR: vm-cache/ (the kernel, kernel.sh)
# and vm-run/SUITE/ (rootfs, initrd.cpio.gz, console.log, qemu.err).
set -u

here=$(cd "$(dirname "$0")" && pwd)

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: run.sh BUILD_DIR SUITE_SCRIPT [TIMEOUT_S]" >&2
	exit 2
fi
[ -d "$1" ] || { echo "run.sh: no build directory $1" >&2; exit 2; }
build=$(cd "$1" && pwd)
[ -f "$2" ] || { echo "run.sh: no suite script $2" >&2; exit 2; }
suite=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
timeout_s=${3:-300}
name=$(basename "$suite" .sh)
work=$build/vm-run/$name

say() { echo "run.sh: $name: $*"; }
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
secs() { printf '%d.%01d' $(($1 / 1000)) $((($1 % 1000) / 100)); }

# --- what the host must have ---------------------------------------------
qemu=$(command -v qemu-system-x86_64 || true)
[ -n "$qemu" ] || skip "qemu-system-x86_64 not installed (scripts/deps.sh installs qemu-system-x86)"
busybox=""
for b in /bin/busybox /usr/bin/busybox; do
	if [ -x "$b" ] && ! ldd "$b" >/dev/null 2>&1; then   # static: ldd refuses it
		busybox=$b
		break
	fi
done
[ -n "$busybox" ] || skip "no static busybox (Debian package busybox-static)"
for t in cpio gzip ldd; do
	command -v "$t" >/dev/null 2>&1 || skip "$t not installed"
done

sca=$build/sca
seed=$build/tests/integration/seed
logspam=$build/tests/integration/logspam
for f in "$sca" "$seed" "$logspam"; do
	[ -x "$f" ] || fail "$f not built (cmake --build $build)"
done

kerr=$(mktemp)
vmlinuz=$(sh "$here/kernel.sh" "$build/vm-cache" 2>"$kerr")
krc=$?
if [ $krc -ne 0 ] || [ ! -f "$vmlinuz" ]; then
	reason=$(tail -1 "$kerr")
	rm -f "$kerr"
	skip "no Debian kernel: ${reason:-kernel.sh failed}"
fi
rm -f "$kerr"
release=$(cat "$build/vm-cache/release" 2>/dev/null || echo unknown)

# --- the initramfs ----------------------------------------------------------
rm -rf "$work"
mkdir -p "$work"
root=$work/root
mkdir -p "$root" || fail "cannot create $root"
for d in bin sbin usr/bin usr/sbin usr/local/bin etc root tmp run proc sys dev boot; do
	mkdir -p "$root/$d"
done

# put SRC DEST: copy SRC (dereferenced) to DEST inside the image.
put() {
	mkdir -p "$root$(dirname "$2")" || fail "cannot create $(dirname "$2") in the image"
	rm -f "$root$2"    # may be a busybox applet link: replace it, not busybox
	cp -L "$1" "$root$2" || fail "cannot copy $1 into the image"
}

# libs_of FILE: copy the shared libraries FILE needs (ldd, including the
# dynamic loader) to the same paths inside; nothing for static files.
libs_of() {
	ldd "$1" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
	while read -r lib; do
		[ -e "$root$lib" ] || put "$lib" "$lib"
	done
}

cp "$busybox" "$root/bin/busybox" || fail "cannot copy $busybox"
"$busybox" --list-full | while read -r applet; do
	[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done

for f in "$sca" "$seed" "$logspam"; do
	put "$f" "/usr/local/bin/$(basename "$f")"
	libs_of "$f"
done

for f in ${VM_EXTRA_FILES:-}; do
	case $f in
	/*) ;;
	*) fail "VM_EXTRA_FILES: $f is not an absolute path" ;;
	esac
	[ -e "$f" ] || fail "VM_EXTRA_FILES: no $f"
	if [ -d "$f" ]; then
		mkdir -p "$root$(dirname "$f")" || fail "cannot create $(dirname "$f") in the image"
		cp -RL "$f" "$root$(dirname "$f")/" || fail "cannot copy $f into the image"
		find "$f" -type f -perm -u+x | while read -r x; do libs_of "$x"; done
	else
		put "$f" "$f"
		libs_of "$f"
	fi
done

[ -f "$build/vm-cache/config" ] && put "$build/vm-cache/config" "/boot/config-$release"
put "$suite" /suite.sh

echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
echo "root:x:0:" >"$root/etc/group"
echo "sca-vm" >"$root/etc/hostname"
cat >"$root/etc/vm-env" <<EOF
SCA=/usr/local/bin/sca
SEED=/usr/local/bin/seed
LOGSPAM=/usr/local/bin/logspam
VM_KERNEL_RELEASE=$release
export SCA SEED LOGSPAM VM_KERNEL_RELEASE
EOF

cat >"$root/init" <<'EOF'
#!/bin/sh
export PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
# extra files may live under /tmp (a build tree there): keep them visible
mkdir -p /.image-tmp && cp -a /tmp/. /.image-tmp/ 2>/dev/null
mount -t tmpfs tmpfs /tmp
cp -a /.image-tmp/. /tmp/ 2>/dev/null
mount -t tmpfs tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
[ -d /sys/kernel/tracing ] && mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
mount -t bpf bpf /sys/fs/bpf
mount -t cgroup2 cgroup2 /sys/fs/cgroup
hostname -F /etc/hostname
ln -sf /proc/self/fd /dev/fd 2>/dev/null
echo "VM-INIT-START"
. /etc/vm-env
cd /tmp
sh /suite.sh </dev/null
rc=$?
echo "VM-SUITE-END rc=$rc"
sync
poweroff -f
sleep 5
EOF
chmod 0755 "$root/init" "$root/suite.sh"

initrd=$work/initrd.cpio.gz
(cd "$root" && find . | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$initrd" ||
	fail "cannot build $initrd"
say "kernel $release, initramfs $(($(wc -c <"$initrd") / 1024)) KiB"

# --- boot -------------------------------------------------------------------
console=$work/console.raw
qerr=$work/qemu.err
# loglevel 5: warnings reach the console, so a soft lockup leaves every
# CPU's stack in the log (the lockup line alone is an emergency, its
# backtrace only a warning); no panic on it, since an overloaded host can
# stall a TCG guest's CPU for long enough to raise a spurious one
append="console=ttyS0 panic=-1 loglevel=5 softlockup_all_cpu_backtrace=1 ${VM_APPEND:-}"

# boot ACCEL SMP DEADLINE_S: run QEMU until it exits, or the suite ended
# and it did not power off within 10 s, or TIMEOUT_S passed, or (DEADLINE_S
# > 0) /init did not start within DEADLINE_S. Sets outcome (ended, exited,
# timeout, no-init) and t_init, t_end, t_exit (ms since start, or "").
boot() {
	accel=$1
	smp=$2
	deadline=$3
	case $accel in
	kvm) cpu=host ;;
	*) cpu=max ;;
	esac
	rm -f "$console" "$qerr"
	: >"$console"
	t0=$(now_ms)
	"$qemu" -accel "$accel" -cpu "$cpu" -m 1024 -smp "$smp" \
		-nodefaults -display none -monitor none -serial "file:$console" \
		-no-reboot -kernel "$vmlinuz" -initrd "$initrd" -append "$append" \
		</dev/null >"$qerr" 2>&1 &
	qpid=$!
	t_init="" t_end="" t_exit="" outcome=""
	while :; do
		t=$(($(now_ms) - t0))
		if ! kill -0 "$qpid" 2>/dev/null; then
			t_exit=$t
			[ -n "$outcome" ] || outcome=exited
			break
		fi
		if [ -z "$t_init" ] && grep -aq '^VM-INIT-START' "$console"; then
			t_init=$t
		fi
		if [ -z "$t_end" ] && grep -aq '^VM-SUITE-END rc=' "$console"; then
			t_end=$t
			outcome=ended
		fi
		if [ -n "$t_end" ] && [ $((t - t_end)) -gt 10000 ]; then
			break    # it did not power off; it is done all the same
		fi
		if [ -z "$t_end" ] && [ $t -gt $((timeout_s * 1000)) ]; then
			outcome=timeout
			break
		fi
		if [ -z "$t_init" ] && [ "$deadline" -gt 0 ] && [ $t -gt $((deadline * 1000)) ]; then
			outcome=no-init
			break
		fi
		sleep 0.2
	done
	if kill -0 "$qpid" 2>/dev/null; then
		kill "$qpid" 2>/dev/null
		sleep 1
		kill -9 "$qpid" 2>/dev/null
	fi
	wait "$qpid" 2>/dev/null
	# ended is only real if the marker is in the log (it may have come
	# with the exit)
	if grep -aq '^VM-SUITE-END rc=' "$console"; then
		outcome=ended
		[ -n "$t_end" ] || t_end=${t_exit:-$t}
	fi
	[ -n "$t_init" ] || ! grep -aq '^VM-INIT-START' "$console" || t_init=${t_exit:-$t}
}

# A QEMU that exited at once with a message and no console output could
# not start (bad option, no memory, no accelerator).
qemu_refused() {
	[ "$outcome" = exited ] && [ ! -s "$console" ] && [ -s "$qerr" ]
}

smp=1
[ "$(nproc 2>/dev/null || echo 1)" -ge 2 ] && smp=2
boot_id=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo none)
kvm_mark=$build/vm-cache/kvm-broken
kvm_wait=${VM_KVM_WAIT_S:-20}

accel=""
case ${VM_ACCEL:-} in
kvm | tcg) accel=$VM_ACCEL ;;
"")
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		if [ -d /sys/module/kvm_pvm ] && [ ! -d /sys/module/kvm_intel ] && [ ! -d /sys/module/kvm_amd ]; then
			# PVM (KVM without hardware virtualization, in a VM) runs only
			# guest kernels built for it: a distribution kernel hangs.
			say "/dev/kvm is PVM (kvm_pvm, no kvm_intel/kvm_amd); using TCG"
		elif [ "$(cat "$kvm_mark" 2>/dev/null)" = "$boot_id" ]; then
			say "KVM did not boot earlier since this host booted ($kvm_mark); using TCG"
		else
			accel=try-kvm
		fi
	fi
	;;
*) fail "VM_ACCEL must be kvm or tcg" ;;
esac

if [ "$accel" = try-kvm ]; then
	boot kvm "$smp" "$kvm_wait"
	if [ "$outcome" = no-init ] || qemu_refused; then
		why="/init did not start within $kvm_wait s"
		qemu_refused && why=$(head -1 "$qerr")
		say "KVM: $why; falling back to TCG"
		echo "$boot_id" >"$kvm_mark"
		accel=tcg
	else
		accel=kvm
	fi
fi
if [ "$accel" = kvm ] && [ "${VM_ACCEL:-}" = kvm ]; then
	boot kvm "$smp" 0
elif [ "$accel" != kvm ]; then
	accel=tcg
	boot tcg "$smp" 0
	if qemu_refused && [ "$smp" -gt 1 ]; then
		say "QEMU refused -smp $smp ($(head -1 "$qerr")); retrying with 1 CPU"
		smp=1
		boot tcg 1 0
	fi
fi
if qemu_refused; then
	skip "QEMU cannot run: $(head -1 "$qerr")"
fi

tr -d '\r' <"$console" >"$work/console.log"
log=$work/console.log
ACCEL=$(echo "$accel" | tr '[:lower:]' '[:upper:]')
# at T: "after N.N s", or WHAT when T is empty
at() { if [ -n "$1" ]; then echo "after $(secs "$1") s"; else echo "$2"; fi; }
say "$ACCEL -smp $smp: /init $(at "$t_init" never), suite end $(at "$t_end" never), QEMU exit $(at "$t_exit" "never (killed)")"

tail_log() {
	echo "--- last 40 lines of $log ---"
	tail -40 "$log"
	[ -s "$qerr" ] && { echo "--- $qerr ---"; tail -5 "$qerr"; }
	echo "---"
}

case $outcome in
ended) ;;
timeout) tail_log; fail "the suite did not end within $timeout_s s ($ACCEL); QEMU killed" ;;
*) tail_log; fail "the VM stopped before the suite ended ($ACCEL, QEMU status: $outcome)" ;;
esac

rc=$(sed -n 's/^VM-SUITE-END rc=\([0-9]*\).*/\1/p' "$log" | tail -1)

# --- results ----------------------------------------------------------------
npass=0 nfail=0 nskip=0 nbad=0
results=$(grep -a '^VM-TEST ' "$log")
echo "$name: checks inside the VM (kernel $release, $ACCEL):"
while read -r tag tname status detail; do
	[ -n "$tag" ] || continue
	case $status in
	PASS) npass=$((npass + 1)) ;;
	FAIL) nfail=$((nfail + 1)) ;;
	SKIP) nskip=$((nskip + 1)) ;;
	*) nbad=$((nbad + 1)); status="BAD($status)" ;;
	esac
	printf '  %-4s  %-24s %s\n' "$status" "$tname" "$detail"
done <<EOF
$results
EOF
# (the counters above were set in this shell: the loop reads a here-doc)
echo "$name: $npass passed, $nfail failed, $nskip skipped; suite rc=$rc"

if [ "$rc" = 77 ] && [ "$nfail" -eq 0 ] && [ "$nbad" -eq 0 ]; then
	skip "the $name suite does not apply: $(grep -a '^VM-TEST .* SKIP ' "$log" | head -1 | cut -d' ' -f2-)"
fi
if [ "$rc" != 0 ] || [ "$nfail" -ne 0 ] || [ "$nbad" -ne 0 ] || [ "$npass" -eq 0 ]; then
	tail_log
	[ "$npass" -eq 0 ] && [ "$nfail" -eq 0 ] && fail "$name: no check passed (suite rc=$rc)"
	fail "$name: suite rc=$rc, $nfail failed"
fi
echo "PASS: $name in the VM ($ACCEL, $(secs "$t_end") s from QEMU start to suite end)"
exit 0
