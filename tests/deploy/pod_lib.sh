# SPDX-License-Identifier: BSD-2-Clause
# A DaemonSet's container as a runc container, as the kubelet would start it
# on a node (sourced after tests/integration/lib.sh; POSIX sh). Shared by
# test_deploy_pod.sh (the recorder) and test_deploy_learn.sh (the learner):
# the container spec read from the manifest (check_manifest.py --pod), a
# root file system standing in for the image, the hostPath mounts, a
# seccomp filter standing in for RuntimeDefault, the OCI config, and
# starting, waiting for and stopping the container.
#
# Needs CHECKER (check_manifest.py), RTDEFAULT (runtime-default-refused.txt)
# and SCA set by the test.

command -v capsh >/dev/null || skip "capsh not installed (libcap2-bin)"
/usr/bin/python3 -c 'import yaml' 2>/dev/null || skip "Debian's python3-yaml not installed"
[ -d /usr/lib64 ] || skip "no /usr/lib64 to lend the container"

node=kind-worker-$$
rstate=$tmp/runc-state
# Containers to delete whatever happens: "ROOT ID" lines.
started=$tmp/started
: >"$started"
delete_containers() {
	while read -r root id; do
		runc --root "$root" kill "$id" KILL >/dev/null 2>&1 || true
		runc --root "$root" delete -f "$id" >/dev/null 2>&1 || true
	done <"$started"
}
trap 'delete_containers; cleanup' EXIT HUP INT TERM

# pod_spec MANIFEST [CONTAINER]: the container as the kubelet starts it on
# $node, as JSON in $pj (the container that runs sca when CONTAINER is not
# given); sets scabin and tracedir from a container that runs sca.
pj=$tmp/pod.json
pod_spec() {
	/usr/bin/python3 "$CHECKER" --pod "$1" "$node" ${2:+"$2"} >"$pj" || fail "check_manifest.py --pod"
	jq -e '.sca_argv' "$pj" >/dev/null || return 0
	scabin=$(jq -r '.sca_argv[0]' "$pj")
	tracedir=$(jq -r '.sca_argv as $a | ($a | index("-o")) as $i | $a[$i + 1]' "$pj" | sed 's|/[^/]*$||')
	[ "$(jq -r --arg d "$tracedir" '[.mounts[] | select(.mountPath == $d and (.readOnly | not))] | length' "$pj")" = 1 ] ||
		fail "no writable mount at the trace directory $tracedir"
}

# pod_rootfs: the image in $b/rootfs: sca where the package puts it, a
# shell, date for the file name, tar for collecting, sleep for an idle
# container; libraries from the host, read-only (make_config).
b=$tmp/bundle
r=$b/rootfs
pod_rootfs() {
	mkdir -p "$r/usr/bin" "$r/usr/lib" "$r/usr/lib64" "$r/proc" "$r/sys" "$r/dev" "$r/etc"
	ln -s usr/bin "$r/bin"
	ln -s usr/lib "$r/lib"
	ln -s usr/lib64 "$r/lib64"
	ln -s usr/sbin "$r/sbin"
	cp "$SCA" "$r$scabin" || fail "copy sca"
	cp /bin/dash "$r/usr/bin/sh" && cp "$(command -v date)" "$(command -v tar)" "$(command -v sleep)" "$r/usr/bin/" ||
		fail "copy tools"
	(cd "$b" && runc spec && mv config.json config.orig) || fail "runc spec"
}

# pod_mounts TRACES: the hostPath volumes of $pj as OCI mounts in
# ${pj%.json}.mounts.json. The trace directory is TRACES (0755 root, as the
# kubelet's DirectoryOrCreate makes it); a runtime state directory this
# host lacks is an empty scratch one (DirectoryOrCreate would create it
# empty). runc's own (/run/runc) is the host's: the workload runs there.
pod_mounts() {
	mkdir -p /run/runc
	[ -d "$1" ] || mkdir -m 0755 "$1"
	mj=${pj%.json}.mounts.json
	jq -r '.mounts[] | [.hostPath, .mountPath, .readOnly, .propagation] | @tsv' "$pj" >"$tmp/mounts.tsv"
	echo '[]' >"$mj"
	while IFS="$(printf '\t')" read -r hp mp ro prop; do
		if [ "$mp" = "$tracedir" ]; then
			src=$1
		elif [ -d "$hp" ]; then
			src=$hp
		else
			src=$tmp/host$hp
			mkdir -p "$src"
		fi
		mkdir -p "$r$mp"
		case $prop in
		None) p=rprivate ;;
		HostToContainer) p=rslave ;;
		*) fail "mount propagation $prop" ;;
		esac
		[ "$ro" = true ] && mode=ro || mode=rw
		jq --arg s "$src" --arg d "$mp" --arg m "$mode" --arg p "$p" \
			'. + [{"destination": $d, "type": "bind", "source": $s, "options": ["rbind", $m, $p]}]' \
			"$mj" >"$tmp/m.new" && mv "$tmp/m.new" "$mj" || fail "jq mounts"
	done <"$tmp/mounts.tsv"
}

# pod_seccomp OUT [NAME...]: seccompProfile RuntimeDefault as a filter in
# OUT: every syscall such a profile refuses to this container
# (runtime-default-refused.txt) fails with EPERM, except the NAMEs, which
# the runtime grants for the container's capabilities; clone3 fails with
# ENOSYS, as the runtimes' profiles make it for a container without
# SYS_ADMIN (so that threads are made with clone).
pod_seccomp() {
	out=$1
	shift
	printf '%s\n' "$@" | grep . | jq -R . | jq -s . >"$tmp/granted.json"
	grep -v '^#' "$RTDEFAULT" | tr -s '[:blank:]' '\n' | grep . | jq -R . | jq -s . >"$tmp/rtnames.json"
	[ "$(jq length "$tmp/rtnames.json")" -gt 40 ] || fail "$RTDEFAULT: too few syscalls"
	jq -n --slurpfile names "$tmp/rtnames.json" --slurpfile ok "$tmp/granted.json" '
		{"defaultAction": "SCMP_ACT_ALLOW",
		 "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
		 "syscalls": [{"names": ($names[0] - $ok[0]), "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
			{"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}' \
		>"$out" || fail "building the RuntimeDefault profile"
}

# make_config CAPS_JSON UID EXTRA_NAMESPACES_JSON EXTRA_ARGS_JSON [SECCOMP_JSON] > config.json
# (the container of $pj with its pod_mounts; SECCOMP_JSON defaults to
# $tmp/seccomp.json)
make_config() {
	jq --slurpfile pod "$pj" --slurpfile mounts "${pj%.json}.mounts.json" \
		--slurpfile sc "${5:-$tmp/seccomp.json}" --argjson caps "$1" --argjson uid "$2" \
		--argjson ns "$3" --argjson extra "$4" --arg cg "$(stat -fc %T /sys/fs/cgroup)" '
		$pod[0] as $p
		| .process.terminal = false
		| .process.args = $p.argv + $extra
		# (ASAN_OPTIONS: in the sanitizer build, LeakSanitizer stops the
		# process with ptrace, which the seccomp filter here refuses)
		| .process.env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			"ASAN_OPTIONS=detect_leaks=0"] + $p.env
		| .process.user = {"uid": $uid, "gid": $p.gid}
		| .process.cwd = "/"
		| .process.noNewPrivileges = $p.noNewPrivileges
		| .process.capabilities = {"bounding": $caps, "effective": $caps, "permitted": $caps}
		| .root = {"path": "rootfs", "readonly": $p.readonlyRootfs}
		| del(.hostname)
		# host PID and network namespaces; host UTS with hostNetwork, as the
		# kubelet does; a private cgroup namespace on a cgroup v2 host, as is
		# usual there
		| .linux.namespaces = ([{"type": "mount"}, {"type": "ipc"}]
			+ (if $cg == "cgroup2fs" then [{"type": "cgroup"}] else [] end) + $ns)
		| .mounts += $mounts[0]
			+ [{"destination": "/usr/lib", "type": "bind", "source": "/usr/lib", "options": ["rbind", "ro", "rprivate"]},
			   {"destination": "/usr/lib64", "type": "bind", "source": "/usr/lib64", "options": ["rbind", "ro", "rprivate"]}]
		| .linux.seccomp = $sc[0]' "$b/config.orig"
}

# run_recorder NAME CONFIG: start the container in the background (`runc
# run`, whose status is the container's); sets run_pid.
run_recorder() {
	cp "$2" "$b/config.json"
	echo "$rstate $1" >>"$started"
	runc --root "$rstate" run --bundle "$b" "$1" </dev/null >"$tmp/$1.out" 2>"$tmp/$1.err" &
	run_pid=$!
	bg_pids="$bg_pids $run_pid"
}
# wait_recording NAME: until sca says it is recording
wait_recording() {
	wait_recording_in "$tmp/$1.err" "$run_pid" "$1: sca record"
}
# wait_exit NAME: until the container exits by itself; sets run_rc
wait_exit() {
	run_rc=0
	wait "$run_pid" || run_rc=$?
	runc --root "$rstate" delete -f "$1" >/dev/null 2>&1 || true
}
# stop_recorder NAME: SIGTERM to the container's process, as the kubelet
# sends it; sets run_rc and stop_ms
stop_recorder() {
	t0=$(date +%s%N)
	runc --root "$rstate" kill "$1" TERM || fail "runc kill $1"
	wait_exit "$1"
	stop_ms=$((($(date +%s%N) - t0) / 1000000))
}

# caps_of PID SET: a capability set (CapBnd, CapEff ...) of PID from
# /proc/PID/status, as capsh names them, sorted, comma separated
caps_of() {
	capsh --decode="$(awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status")" | sed 's/.*=//' |
		tr ',' '\n' | sort | paste -sd, -
}

# workload_bundle DIR SCRIPT NAMESPACE POD CONTAINER: a busybox container
# with CRI annotations naming it, under the seed's filter (mkdir logged,
# unshare kills the thread), in runc's standard root
workload_bundle() {
	busybox_bundle "$1" "$2" "$(jq -n --arg ns "$3" --arg pod "$4" --arg c "$5" '{
		"io.kubernetes.cri.container-type": "container",
		"io.kubernetes.cri.sandbox-name": $pod, "io.kubernetes.cri.sandbox-namespace": $ns,
		"io.kubernetes.cri.container-name": $c, "io.kubernetes.cri.sandbox-uid": ($pod + "-uid"),
		"io.kubernetes.cri.image-name": ("registry.example/" + $ns + "/" + $c + ":3")}')"
}
# run_workload DIR ID [-d]: run it to its end (-d: leave it running)
run_workload() {
	echo "/run/runc $2" >>"$started"
	runc run -d --bundle "$1" "$2" </dev/null >"$tmp/$2.out" 2>&1 || { cat "$tmp/$2.out" >&2; fail "runc run $2"; }
	[ "${3:-}" = -d ] && return 0
	i=0
	while [ "$(runc state "$2" 2>/dev/null | jq -r .status)" = running ]; do
		i=$((i + 1))
		[ $i -le 100 ] || fail "the workload container $2 is still running"
		sleep 0.1
	done
	runc delete -f "$2" >/dev/null 2>&1 || true
}

# CRI-O's default profile, where a copy is installed (Debian's
# golang-github-containers-common; SCA_CRIO_SECCOMP names another copy).
crio_profile=${SCA_CRIO_SECCOMP:-/usr/share/containers/seccomp.json}
crio_edit=$(dirname "$0")/../../deploy/crio-seccomp.jq
# crio_seccomp OUT CAPS_JSON [edited]: that profile as CRI-O makes it for a
# container with CAPS_JSON, as an OCI filter in OUT; "edited": after
# deploy/crio-seccomp.jq, the Localhost profile docs/kubernetes.md gives
crio_seccomp() {
	if [ "${3:-}" = edited ]; then
		jq -f "$crio_edit" "$crio_profile" >"$tmp/crio-edited.json" || fail "$crio_edit"
		src=$tmp/crio-edited.json
	else
		src=$crio_profile
	fi
	jq --argjson caps "$2" -f "$(dirname "$0")/crio_profile.jq" "$src" >"$1" || fail "evaluating $src"
}
