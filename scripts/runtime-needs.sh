#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Measure what each container runtime's init calls after it loads the
# container's seccomp filter and before it execs the container's program,
# and rewrite profile-gen/runtime/RUNTIME.txt with the union over N starts.
#
# How: a busybox-static container whose program is `/bin/busybox true` runs
# under a filter that allows everything (so its calls are FILTERED) while
# `sca record --all-syscalls --container PREFIX` counts every syscall; the
# calls under the filter of its processes whose executable is not the
# container's busybox (the init before its exec, the execve included) are
# the runtime's. A name's line says in how many starts it was seen.
#
# Usage (root): scripts/runtime-needs.sh [-n N] [--sca PATH] [--out DIR] [RUNTIME...]
#   RUNTIME: runc, crun (default: both); N starts each (default 500);
#   PATH: the sca binary (default build/sca); DIR: default profile-gen/runtime.
set -eu

n=500
top=$(cd "$(dirname "$0")/.." && pwd)
sca=$top/build/sca
out=$top/profile-gen/runtime
runtimes=""
while [ $# -gt 0 ]; do
	case $1 in
	-n) n=$2; shift 2 ;;
	--sca) sca=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	-h | --help) sed -n '3,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "runtime-needs.sh: unknown option $1" >&2; exit 2 ;;
	*) runtimes="$runtimes $1"; shift ;;
	esac
done
[ -n "$runtimes" ] || runtimes="runc crun"
[ "$(id -u)" -eq 0 ] || { echo "runtime-needs.sh: needs root (the syscall source, runtimes)" >&2; exit 1; }
for t in jq /bin/busybox "$sca"; do
	command -v "$t" >/dev/null || { echo "runtime-needs.sh: $t not found" >&2; exit 1; }
done

tmp=$(mktemp -d /tmp/sca-rtn-XXXXXX)
rec_pid=""
live=""
cleanup() {
	[ -z "$rec_pid" ] || kill -INT "$rec_pid" 2>/dev/null || true
	[ -z "$live" ] || $live >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT HUP INT TERM

# crun refuses a hybrid cgroup layout whose v2 hierarchy has a controller;
# in a mount namespace of its own without that hierarchy it sees plain v1
crun_v1() {
	unshare -m --propagation private sh -c 'umount /sys/fs/cgroup/unified && exec crun "$@"' crun "$@"
}
runtime_cmd() {
	if [ "$1" = crun ] && grep -q . /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null; then
		echo crun_v1
	else
		echo "$1"
	fi
}

b=$tmp/bundle
mkdir -p "$b/rootfs/bin" "$b/rootfs/tmp" "$b/rootfs/proc" "$b/rootfs/dev" "$b/rootfs/sys"
cp /bin/busybox "$b/rootfs/bin/busybox"
(cd "$b" && runc spec 2>/dev/null || crun spec)
# a filter that allows all: what runs under it is FILTERED; mkdirat is logged
# only so that the filter has a rule
jq '.process.terminal = false | .process.args = ["/bin/busybox", "true"] | .root.readonly = false
  | .linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
      "syscalls": [{"names": ["mkdirat"], "action": "SCMP_ACT_LOG"}]}' "$b/config.json" >"$b/c.new"
mv "$b/c.new" "$b/config.json"

for rt in $runtimes; do
	command -v "$rt" >/dev/null || { echo "runtime-needs.sh: $rt not installed; skipped" >&2; continue; }
	cmd=$(runtime_cmd "$rt")
	prefix=sca-rtn-$$-$rt-
	"$sca" record --all-syscalls --container "$prefix" -o "$tmp/$rt.trace" 2>"$tmp/$rt.log" &
	rec_pid=$!
	i=0
	until grep -q recording "$tmp/$rt.log" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 300 ] && kill -0 "$rec_pid" 2>/dev/null || { cat "$tmp/$rt.log" >&2; exit 1; }
		sleep 0.05
	done
	i=0 failed=0
	while [ $i -lt "$n" ]; do
		i=$((i + 1))
		live="$cmd delete -f $prefix$i"
		# every other start is `run`, as users start containers; the rest
		# create, then start: the recorder finds such a container while its
		# init waits (one run that lives for milliseconds may be gone first)
		if [ $((i % 2)) -eq 1 ]; then
			$cmd run --bundle "$b" "$prefix$i" </dev/null >"$tmp/run.out" 2>&1 ||
				{ failed=$((failed + 1)); cat "$tmp/run.out" >&2; }
		elif $cmd create --bundle "$b" "$prefix$i" </dev/null >"$tmp/run.out" 2>&1; then
			sleep 0.1
			$cmd start "$prefix$i" >>"$tmp/run.out" 2>&1 || { failed=$((failed + 1)); cat "$tmp/run.out" >&2; }
			sleep 0.05
		else
			failed=$((failed + 1))
			cat "$tmp/run.out" >&2
		fi
		$live >/dev/null 2>&1 || true
	done
	live=""
	sleep 1.5          # the syscall source writes its counts once a second
	kill -INT "$rec_pid"
	wait "$rec_pid" || { cat "$tmp/$rt.log" >&2; exit 1; }
	rec_pid=""
	[ "$failed" -eq 0 ] || { echo "runtime-needs.sh: $rt: $failed of $n starts failed" >&2; exit 1; }
	starts=$("$sca" analyze "$tmp/$rt.trace" --format csv --sql "SELECT count(DISTINCT p.pid)
	  FROM calls c JOIN processes p ON p.id = c.process JOIN containers k ON k.id = p.container
	  WHERE k.runtime = '$rt' AND c.filtered = 1 AND p.exe IS NOT '/bin/busybox'" 2>/dev/null | tail -1 | tr -d '\r')
	[ "$starts" -ge $((n / 2)) ] ||
		{ echo "runtime-needs.sh: $rt: the init of only $starts of $n starts was seen" >&2; exit 1; }
	# per name: in how many starts the init made it under the filter
	"$sca" analyze "$tmp/$rt.trace" --format csv --sql "SELECT coalesce(s.name, c.nr), count(DISTINCT p.pid)
	  FROM calls c JOIN processes p ON p.id = c.process JOIN containers k ON k.id = p.container
	  LEFT JOIN syscalls s ON s.arch = c.arch AND s.nr = c.nr
	  WHERE k.runtime = '$rt' AND c.filtered = 1 AND p.exe IS NOT '/bin/busybox'
	  GROUP BY 1 ORDER BY 1" 2>/dev/null | tail -n +2 | tr -d '\r' >"$tmp/$rt.names"
	version=$("$rt" --version | head -1)
	{
		echo "# What $rt's init calls after it loads the container's seccomp filter and"
		echo "# before it execs the container's program; profile-gen adds these to"
		echo "# container profiles (one syscall name a line; '#' starts a comment)."
		echo "# runtime: $version ($(dpkg-query -W -f='${Package} ${Version}' "$rt" 2>/dev/null || echo "not a Debian package"))"
		echo "# kernel: $(uname -sr) $(uname -m)"
		echo "# measured: $(date -u +%Y-%m-%d) by scripts/runtime-needs.sh, $n starts of a"
		echo "#   busybox-static container (/bin/busybox true; run, and create then"
		echo "#   start, in turn) under an allow-all filter, recorded with sca record"
		echo "#   --all-syscalls: the calls under the filter of the container's processes"
		echo "#   before they exec busybox (the init, its execve included), the union"
		echo "#   over the starts."
		echo "# The recorder saw the init of $starts of the starts (a container that"
		echo "# lives for milliseconds may be gone before it is found); after each"
		echo "# name: in how many of those $starts it was seen."
		awk -F, -v n="$starts" '{ printf "%-20s # %d of %d\n", $1, $2, n }' "$tmp/$rt.names"
	} >"$tmp/$rt.txt"
	mkdir -p "$out"
	mv "$tmp/$rt.txt" "$out/$rt.txt"
	echo "runtime-needs.sh: $rt: $(wc -l <"$tmp/$rt.names") syscalls over $n starts -> $out/$rt.txt" >&2
done
