#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Container and Kubernetes names in `sca record`: real runc containers whose
# state looks like containerd CRI's, Docker's and CRI-O's, recorded while
# they run beside a host process; then one profile per container.
set -u
SCA=$1 SEED=$2
. "$(dirname "$0")/lib.sh"
need_root
need_containers

# Containers to delete whatever happens: "ROOT ID" lines.
started=$tmp/started
: >"$started"
delete_containers() {
	while read -r root id; do
		runc --root "$root" delete -f "$id" >/dev/null 2>&1 || true
	done <"$started"
}
trap 'delete_containers; cleanup' EXIT HUP INT TERM

# make_bundle DIR ANNOTATIONS_JSON: a busybox bundle running the seed's
# scenario, its killed child reaped at once.
make_bundle() {
	busybox_bundle "$1" "$seed_work" "$2"
}

# run_detached ROOT ID BUNDLE: start a container in the background.
run_detached() {
	echo "$1 $2" >>"$started"
	runc --root "$1" run -d --bundle "$3" "$2" </dev/null >"$tmp/$2.out" 2>&1 ||
		{ cat "$tmp/$2.out" >&2; fail "runc run $2"; }
}

# wait_stopped ROOT ID: until its workload has ended.
wait_stopped() {
	i=0
	while [ "$(runc --root "$1" state "$2" 2>/dev/null | jq -r .status)" = running ]; do
		i=$((i + 1))
		[ $i -le 100 ] || fail "container $2 still running"
		sleep 0.1
	done
}

# init_pid ROOT ID
init_pid() {
	runc --root "$1" state "$2" | jq -r .pid
}

# ---- 1. containerd CRI annotations, runc's standard root ---------------

crid=sca-k8s-$$
make_bundle "$tmp/cri" '{"io.kubernetes.cri.container-type": "container",
	"io.kubernetes.cri.sandbox-name": "mypod", "io.kubernetes.cri.sandbox-namespace": "default",
	"io.kubernetes.cri.container-name": "container1", "io.kubernetes.cri.sandbox-uid": "0c2f-uid",
	"io.kubernetes.cri.image-name": "docker.io/library/busybox:1"}'
start_recorder "$tmp/live1" "$tmp/rec1.log" -o "$tmp/a.trace" --print --columns k8s.namespace,k8s.pod,syscall,code
run_detached /run/runc "$crid" "$tmp/cri"
seedpid=$("$SEED" "$tmp/hostdir" || true)
[ -n "$seedpid" ] || fail "seed printed no pid"
wait_stopped /run/runc "$crid"
settle
stop_recorder
[ "$rec_rc" -eq 0 ] || { cat "$tmp/rec1.log" >&2; fail "record exited $rec_rc"; }

want="default mypod mkdir log
default mypod unshare kill_thread"
got=$(awk '$1 == "default" && $2 == "mypod" { print $1, $2, $3, $4 }' "$tmp/live1" | sed 's/ mkdirat / mkdir /' | sort)
[ "$got" = "$want" ] || { cat "$tmp/live1" >&2; fail "live view: got [$got]"; }
# (csv lines end in CRLF)
"$SCA" analyze "$tmp/a.trace" --by namespace,pod,syscall,code --format csv 2>/dev/null | tr -d '\r' >"$tmp/a.csv" ||
	fail "analyze a.trace"
got=$(awk -F, '$1 == "default" && $2 == "mypod" { print $1, $2, $3, $4 }' "$tmp/a.csv" | sed 's/ mkdirat / mkdir /' | sort)
[ "$got" = "$want" ] || { cat "$tmp/a.csv" >&2; fail "trace by namespace,pod: got [$got]"; }
# every name the trace keeps, and the host's seed in no container
"$SCA" analyze "$tmp/a.trace" --events --format csv \
	--columns pid,comm,runtime.containername,k8s.namespace,k8s.pod,k8s.container,syscall,code 2>/dev/null |
	tr -d '\r' >"$tmp/a.ev" || fail "analyze --events a.trace"
got=$(awk -F, '$2 == "busybox" { print $3, $4, $5, $6 }' "$tmp/a.ev" | sort -u)
[ "$got" = "runc.container1 default mypod container1" ] || { cat "$tmp/a.ev" >&2; fail "container names: [$got]"; }
got=$(awk -F, -v p="$seedpid" '$1 == p { print $2, $3 "|" $5 "|", $7, $8 }' "$tmp/a.ev")
[ "$got" = "seed || mkdir log
seed || unshare kill_thread" ] || { cat "$tmp/a.ev" >&2; fail "host seed attributed: [$got]"; }
"$SCA" analyze "$tmp/a.trace" --sql "SELECT DISTINCT image, pod_uid FROM containers" --format csv 2>/dev/null |
	grep -q "docker.io/library/busybox:1,0c2f-uid" || fail "image or pod uid missing from the trace"

# ---- 2, 3. Docker and CRI-O layouts at once, beside the host -----------

droot=$tmp/run/docker/runtime-runc/moby
did=$(printf '5ca%061d' $$)
mkdir -p "$tmp/var/lib/docker/containers/$did"
echo '{"ID": "'"$did"'", "Name": "/web", "Config": {"Image": "nginx:1"}}' \
	>"$tmp/var/lib/docker/containers/$did/config.v2.json"
make_bundle "$tmp/docker" '{}'
croot=$tmp/run/crio-runc
cid=sca-crio-$$
make_bundle "$tmp/crio" '{"io.kubernetes.pod.name": "shop-0", "io.kubernetes.pod.namespace": "shop",
	"io.kubernetes.container.name": "app", "io.kubernetes.pod.uid": "7d1e-uid",
	"io.kubernetes.cri-o.ImageName": "quay.io/shop/app:2"}'
roots="--runtime-root docker=$droot --runtime-root cri-o=$croot --docker-root $tmp/var/lib/docker"

# one recorder keeps everything; others filter as they go
# shellcheck disable=SC2086
start_recorder /dev/null "$tmp/rec2.log" -o "$tmp/b.trace" $roots
all=$rec_pid
# shellcheck disable=SC2086
start_recorder "$tmp/host.live" "$tmp/rec3.log" $roots --host --columns pid,comm,syscall,code
hostrec=$rec_pid
# shellcheck disable=SC2086
start_recorder "$tmp/web.live" "$tmp/rec4.log" $roots --container web --columns runtime.containername,syscall,code
webrec=$rec_pid
# shellcheck disable=SC2086
start_recorder "$tmp/shop.live" "$tmp/rec5.log" $roots -n shop --pod shop-0 \
	--columns runtime.containername,k8s.namespace,k8s.pod,k8s.container,syscall,code
shoprec=$rec_pid

run_detached "$droot" "$did" "$tmp/docker"
run_detached "$croot" "$cid" "$tmp/crio"
dpid=$(init_pid "$droot" "$did")
cpid=$(init_pid "$croot" "$cid")
dmnt=$(stat -L -c %i "/proc/$dpid/ns/mnt")
cmnt=$(stat -L -c %i "/proc/$cpid/ns/mnt")
[ "$dmnt" != "$cmnt" ] || fail "the two containers share a mount namespace"
# host processes during both containers' lifetime
hostpids=""
for i in 1 2 3 4; do
	p=$("$SEED" "$tmp/hostdir$i" || true)
	hostpids="$hostpids $p"
	sleep 0.4
done
wait_stopped "$droot" "$did"
wait_stopped "$croot" "$cid"
settle
for r in $all $hostrec $webrec $shoprec; do
	rec_pid=$r
	stop_recorder
	[ "$rec_rc" -eq 0 ] || { cat "$tmp"/rec*.log >&2; fail "record (pid $r) exited $rec_rc"; }
done

# Every event belongs where its process was: the workloads' processes are
# children of the container's init, the seeds are the host's.
"$SCA" analyze "$tmp/b.trace" --events --format csv \
	--columns pid,ppid,comm,runtime.containername,k8s.namespace,k8s.pod,k8s.container,syscall,code \
	2>/dev/null | tr -d '\r' >"$tmp/b.ev" || fail "analyze --events b.trace"
awk -F, -v d="$dpid" -v c="$cpid" -v hp="$hostpids" '
	BEGIN { n = split(hp, h, " "); for (i = 1; i <= n; i++) host[h[i]] = 1 }
	NR == 1 { next }
	$2 == d { want = "docker.web|||" }
	$2 == c { want = "cri-o.app|shop|shop-0|app" }
	$1 in host { want = "|||" }
	!($2 == d || $2 == c || $1 in host) { next }
	{ got = $4 "|" $5 "|" $6 "|" $7; seen[want]++
	  if (got != want) { print "pid " $1 " ppid " $2 " " $3 " " $8 ": got " got ", want " want; bad = 1 } }
	END { if (seen["docker.web|||"] != 2 || seen["cri-o.app|shop|shop-0|app"] != 2 || seen["|||"] != 8) {
		print "events: docker " seen["docker.web|||"] ", cri-o " seen["cri-o.app|shop|shop-0|app"] \
		      ", host " seen["|||"] " (want 2, 2, 8)"; bad = 1 }
	      exit bad }' "$tmp/b.ev" || { cat "$tmp/b.ev" >&2; fail "events attributed to the wrong place"; }
"$SCA" analyze "$tmp/b.trace" --sql "SELECT runtime, name, image FROM containers ORDER BY name" --format csv \
	2>/dev/null | tr -d '\r' >"$tmp/b.cont"
grep -qx "cri-o,app,quay.io/shop/app:2" "$tmp/b.cont" && grep -qx "docker,web,nginx:1" "$tmp/b.cont" ||
	{ cat "$tmp/b.cont" >&2; fail "container images"; }

# The filtering recorders kept exactly their share.
# (other host processes may make logged syscalls too: only the seeds and
# the containers' busybox are ours to count)
got=$(awk 'NR > 1 && $2 == "seed" { print $2, $3, $4 }' "$tmp/host.live" | sort | uniq -c | awk '{ print $1, $2, $3, $4 }')
[ "$got" = "4 seed mkdir log
4 seed unshare kill_thread" ] || { cat "$tmp/host.live" >&2; fail "--host: [$got]"; }
awk 'NR > 1 && $2 == "busybox"' "$tmp/host.live" | grep -q . && { cat "$tmp/host.live" >&2; fail "--host kept container events"; }
got=$(awk 'NR > 1 { print $1, $2, $3 }' "$tmp/web.live" | sed 's/ mkdirat / mkdir /' | sort)
[ "$got" = "docker.web mkdir log
docker.web unshare kill_thread" ] || { cat "$tmp/web.live" >&2; fail "--container web: [$got]"; }
got=$(awk 'NR > 1 { print $1, $2, $3, $4, $5, $6 }' "$tmp/shop.live" | sed 's/ mkdirat / mkdir /' | sort)
[ "$got" = "cri-o.app shop shop-0 app mkdir log
cri-o.app shop shop-0 app unshare kill_thread" ] || { cat "$tmp/shop.live" >&2; fail "-n shop --pod shop-0: [$got]"; }

# ---- 4. one profile per container --------------------------------------

"$SCA" profile-gen "$tmp/b.trace" --per-container "$tmp/per" 2>"$tmp/pg.err" || { cat "$tmp/pg.err" >&2; fail "profile-gen --per-container"; }
[ "$(ls "$tmp/per" | sort | tr '\n' ' ')" = "app.json host.json web.json " ] ||
	{ ls "$tmp/per" >&2; fail "profile files"; }
for f in app web host; do
	# what each ran: mkdir allowed; unshare, which was killed, not
	jq -e '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] as $ok
		| .defaultAction == "SCMP_ACT_ERRNO" and ($ok | index("mkdir") != null or index("mkdirat") != null)
		  and ($ok | index("unshare") == null)' \
		"$tmp/per/$f.json" >/dev/null || { cat "$tmp/per/$f.json" >&2; fail "profile $f.json"; }
done
echo "PASS: container and Kubernetes names (runc/CRI, Docker, CRI-O, host), per-container profiles"
