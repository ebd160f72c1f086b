#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check deploy/sca-daemonset.yaml or deploy/sca-learn-daemonset.yaml, or
print a container spec of either.

  check_manifest.py [--learn] MANIFEST DOC SCA
      Load every YAML document (well-formed), check the DaemonSet against
      what docs/kubernetes.md (DOC) says and what `SCA help record` accepts,
      then check that the checker rejects mutated copies (SYS_ADMIN added,
      privileged, a writable runtime mount ...). Exit 0 if all is well, 1
      with one line per problem. --learn: the learner (sca record
      --all-syscalls in an init container, an idle container beside it,
      the capabilities of DOC's learning table).

  check_manifest.py --pod MANIFEST NODE_NAME [CONTAINER]
      Print, as JSON, the container (by default the one that runs sca) as
      the kubelet would start it on node NODE_NAME: argv ($(VAR) expanded
      as Kubernetes does), environment, capabilities, mounts, user and
      security settings. tests/deploy/pod_lib.sh turns it into a runc
      container.

Run with Debian's /usr/bin/python3 (python3-yaml).
"""
import copy
import json
import os
import re
import shlex
import sys

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from sca_help import help_options, run  # noqa: E402

NAMESPACE = "sca-system"
# Capabilities are documented in DOC between this marker and the next blank
# line, one table row each: | `NAME` | reason |
CAPS_MARKER = "<!-- the manifest adds exactly these capabilities"
LEARN_CAPS_MARKER = "<!-- the learning manifest adds exactly these capabilities"
# Every capability `sca record --source audit` can make use of (record/caps.c,
# record/source_audit.c): any other one is refused even when documented.
AUDIT_SOURCE_CAPS = {"AUDIT_READ", "SYS_PTRACE", "DAC_READ_SEARCH", "DAC_OVERRIDE", "NET_ADMIN"}
# And with --all-syscalls, the syscall source's and the BPF tracker's.
LEARN_NEEDS = {"BPF", "PERFMON"}
LEARN_CAPS = AUDIT_SOURCE_CAPS | LEARN_NEEDS
# The label that tells the two DaemonSets' pods apart in one namespace.
COMPONENT = "app.kubernetes.io/component"
LEARN_COMPONENT = "learner"
# Host paths that would hand the recorder the node, whatever else it lacks.
FORBIDDEN_HOST_PATHS = {"/", "/etc", "/proc", "/sys", "/dev", "/run", "/var/run", "/var/lib",
                        "/var/lib/kubelet", "/var/lib/docker", "/run/containerd", "/var/lib/containerd",
                        "/root", "/home", "/usr", "/boot"}


def k8s_expand(s, env):
    """Kubernetes' $(VAR) expansion: $$ is a literal $, $(VAR) is replaced
    when VAR is defined and left as is otherwise."""
    out, i = [], 0
    while i < len(s):
        if s[i] == "$" and i + 1 < len(s):
            if s[i + 1] == "$":
                out.append("$")
                i += 2
                continue
            if s[i + 1] == "(":
                j = s.find(")", i + 2)
                if j > 0:
                    name = s[i + 2:j]
                    out.append(env[name] if name in env else s[i:j + 1])
                    i = j + 1
                    continue
        out.append(s[i])
        i += 1
    return "".join(out)


def k8s_undefined(s, env):
    """The $(VAR)s of S that k8s_expand would leave as they are."""
    return [m.group(2) for m in re.finditer(r"(\$\$)|\$\(([^)]*)\)", s) if m.group(2) is not None
            and m.group(2) not in env]


def container_argv(c, env):
    """command + args as the kubelet passes them (after $(VAR) expansion)."""
    cmd = [k8s_expand(str(a), env) for a in c.get("command") or []]
    args = [k8s_expand(str(a), env) for a in c.get("args") or []]
    return cmd + args


def sca_argv(argv):
    """The argv sca gets: argv itself, or for `sh -c 'exec sca ... "$@"' NAME
    ARGS...` the script's exec line with "$@" replaced by ARGS. None if sca
    is not run that way."""
    if argv and os.path.basename(argv[0]) == "sca":
        return argv
    if len(argv) >= 3 and os.path.basename(argv[0]) in ("sh", "dash", "bash") and argv[1] == "-c":
        try:
            words = shlex.split(argv[2], comments=True)
        except ValueError:
            return None
        if words[:1] == ["exec"]:
            words = words[1:]
        if not words or os.path.basename(words[0]) != "sca" or any(w in (";", "&&", "||", "|") for w in words):
            return None
        rest = argv[4:]   # argv[3] is $0
        out = []
        for w in words:
            if w == "$@":
                out.extend(rest)
            elif "$@" in w or "$*" in w:
                return None
            else:
                out.append(w)
        return out
    return None


def documented_caps(doc_path, marker):
    with open(doc_path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    caps, inside = [], False
    for line in lines:
        if line.startswith(marker):
            inside = True
            continue
        if inside:
            if not line.strip():
                break
            m = re.match(r"^\|\s*`([A-Z_]+)`\s*\|", line)
            if m:
                caps.append(m.group(1))
    return caps


def find(docs, kind):
    return [d for d in docs if isinstance(d, dict) and d.get("kind") == kind]


def check(docs, raw, caps_doc, sca_opts, learn=False):
    """Return the list of problems of the manifest (empty: all good): the
    recorder's (sca-daemonset.yaml), or with LEARN the learner's
    (sca-learn-daemonset.yaml)."""
    errs = []
    for i, d in enumerate(docs):
        if not isinstance(d, dict) or not d.get("apiVersion") or not d.get("kind"):
            errs.append(f"document {i + 1}: not a Kubernetes object (apiVersion, kind)")
    ns = find(docs, "Namespace")
    dss = find(docs, "DaemonSet")
    if len(dss) != 1:
        return errs + [f"{len(dss)} DaemonSets, want 1"]
    ds = dss[0]
    if ds.get("apiVersion") != "apps/v1":
        errs.append(f"DaemonSet apiVersion {ds.get('apiVersion')!r}, want apps/v1")
    meta = ds.get("metadata") or {}
    if not meta.get("name"):
        errs.append("DaemonSet has no metadata.name")
    if meta.get("namespace") != NAMESPACE:
        errs.append(f"DaemonSet namespace {meta.get('namespace')!r}, want {NAMESPACE}")
    if not any((n.get("metadata") or {}).get("name") == meta.get("namespace") for n in ns):
        errs.append(f"no Namespace document for {meta.get('namespace')!r}")

    spec = ds.get("spec") or {}
    tmpl = spec.get("template") or {}
    labels = (tmpl.get("metadata") or {}).get("labels") or {}
    sel = (spec.get("selector") or {}).get("matchLabels") or {}
    if not sel:
        errs.append("spec.selector.matchLabels is empty")
    for k, v in sel.items():
        if labels.get(k) != v:
            errs.append(f"selector {k}={v} is not a template label")
    if learn:
        # the two DaemonSets share the namespace: their pods must not match
        # each other's selector
        if sel.get(COMPONENT) != LEARN_COMPONENT:
            errs.append(f"selector {COMPONENT}={sel.get(COMPONENT)!r}, want {LEARN_COMPONENT} "
                        "(apart from the recorder's pods)")
        mu = ((spec.get("updateStrategy") or {}).get("rollingUpdate") or {}).get("maxUnavailable")
        if mu != "100%":
            errs.append(f"maxUnavailable {mu!r}, want 100% (a pod is unready while it learns)")

    pod = tmpl.get("spec") or {}
    if pod.get("hostPID") is not True:
        errs.append("hostPID is not true (sca reads /proc/PID of the node's processes)")
    if pod.get("hostNetwork") is not True:
        errs.append("hostNetwork is not true (audit multicast reaches only the initial network namespace)")
    if pod.get("hostIPC") is True:
        errs.append("hostIPC is true: not needed")
    psc = pod.get("securityContext") or {}
    if ((psc.get("seccompProfile") or {}).get("type")) == "Unconfined":
        errs.append("pod seccompProfile is Unconfined")
    if not any(t.get("operator") == "Exists" and not t.get("key") for t in pod.get("tolerations") or []):
        errs.append("no toleration of every taint (operator: Exists): not every node")

    containers = pod.get("containers") or []
    inits = pod.get("initContainers") or []
    for c in pod.get("ephemeralContainers") or []:
        errs.append(f"extra container {c.get('name')!r}: not checked, not expected")
    if learn:
        # the learner runs to its end as an init container; an idle one
        # keeps the pod up for collecting
        if len(inits) != 1 or len(containers) != 1:
            return errs + [f"{len(inits)} init containers and {len(containers)} containers, want 1 and 1 "
                           "(the learner, then an idle one)"]
        c, idle = inits[0], containers[0]
    else:
        if len(containers) != 1:
            return errs + [f"{len(containers)} containers, want 1"]
        for x in inits:
            errs.append(f"extra container {x.get('name')!r}: not checked, not expected")
        c, idle = containers[0], None

    errs += check_security(c, psc, "container")
    capsc = (c.get("securityContext") or {}).get("capabilities") or {}
    add = capsc.get("add") or []
    if not caps_doc:
        errs.append("the documentation lists no capabilities (marker missing?)")
    if sorted(add) != sorted(caps_doc):
        errs.append(f"capabilities.add {sorted(add)}, documented {sorted(caps_doc)}")
    usable = LEARN_CAPS if learn else AUDIT_SOURCE_CAPS
    for cap in sorted(LEARN_NEEDS - set(add)) if learn else []:
        errs.append(f"capability {cap} not added: the syscall source cannot load without it")
    for cap in add:
        if cap not in usable:
            errs.append(f"capability {cap}: sca record {'--all-syscalls ' if learn else ''}"
                        f"--source audit has no use for it")
        if not re.search(r"#\s*" + re.escape(cap) + r":", raw):
            errs.append(f"capability {cap} has no reason in a YAML comment (# {cap}: ...)")

    # the command line
    env = container_env(c, "NODE")
    node_env = next((e for e in c.get("env") or [] if e.get("name") == "NODE_NAME"), None)
    if ((((node_env or {}).get("valueFrom") or {}).get("fieldRef") or {}).get("fieldPath")) != "spec.nodeName":
        errs.append("env NODE_NAME does not come from spec.nodeName")
    for w in (c.get("command") or []) + (c.get("args") or []):
        for name in k8s_undefined(str(w), env):
            errs.append(f"$({name}) in the command line: the container's env does not define it")
    argv = sca_argv(container_argv(c, env))
    out = None
    if not argv:
        errs.append("the container does not run sca (directly, or as `sh -c 'exec sca ... \"$@\"'`)")
    else:
        if argv[1:2] != ["record"]:
            errs.append(f"sca subcommand {argv[1:2]}, want record")
        opts = argv[2:argv.index("--")] if "--" in argv else argv[2:]
        for i, w in enumerate(opts):
            if w.startswith("-") and len(w) > 1:
                name = w.split("=", 1)[0]
                if name not in sca_opts:
                    errs.append(f"sca record has no option {name} (sca help record)")
            if w in ("-o", "--output") and i + 1 < len(opts):
                out = opts[i + 1]
            elif w.startswith("--output="):
                out = w.split("=", 1)[1]
        if "--rotate" not in opts and "--rotate-time" not in opts:
            errs.append("sca record without --rotate/--rotate-time: one ever-growing file")
        if "--source" not in opts or opts[opts.index("--source") + 1:][:1] != ["audit"]:
            errs.append("not --source audit: the capabilities are the audit source's")
        if not out:
            errs.append("sca record has no -o")
        if learn:
            errs += check_learn_argv(argv, opts)
        elif "--all-syscalls" in opts:
            errs.append("--all-syscalls: the recorder's privileges are the audit source's only "
                        "(the learner is sca-learn-daemonset.yaml)")

    # volumes and mounts
    vols = {v.get("name"): v for v in pod.get("volumes") or []}
    trace_mount = None
    for m in c.get("volumeMounts") or []:
        if out and os.path.dirname(out) == os.path.normpath(m.get("mountPath", "")):
            trace_mount = m
    if out and not trace_mount:
        errs.append(f"-o {out} is not directly in a mounted volume")
    mounted = set()
    errs += check_mounts(c, vols, trace_mount, mounted)
    if trace_mount and "hostPath" not in (vols.get(trace_mount.get("name")) or {}):
        errs.append("the trace directory is not a hostPath: traces would die with the pod")
    if idle is not None:
        errs += check_idle(idle, psc, vols, mounted, trace_mount)
    for name, v in vols.items():
        if name not in mounted:
            errs.append(f"volume {name!r} is not mounted")
    return errs


def check_security(c, psc, what):
    """The security context that every container of both manifests has
    (WHAT names the container in the messages but for the sca one)."""
    errs = []
    p = "" if what == "container" else f"{what}: "
    sc = c.get("securityContext") or {}
    if sc.get("privileged") is True:
        errs.append(f"{what} is privileged")
    if sc.get("allowPrivilegeEscalation") is not False:
        errs.append(f"{p}allowPrivilegeEscalation is not false")
    if sc.get("readOnlyRootFilesystem") is not True:
        errs.append(f"{p}readOnlyRootFilesystem is not true")
    if sc.get("runAsUser", psc.get("runAsUser")) != 0:
        errs.append(f"{p}runAsUser is not 0 (without ambient capabilities a non-root sca has none)" if not p
                    else f"{p}runAsUser is not 0 (it reads root's 0600 traces)")
    if sc.get("procMount") not in (None, "Default"):
        errs.append(f"{p}procMount is not Default")
    st = (sc.get("seccompProfile") or psc.get("seccompProfile") or {}).get("type")
    if st != "RuntimeDefault":
        errs.append(f"{p}seccompProfile {st!r}, want RuntimeDefault")
    capsc = sc.get("capabilities") or {}
    if capsc.get("drop") != ["ALL"]:
        errs.append(f"{p}capabilities.drop {capsc.get('drop')!r}, want [ALL]")
    return errs


def check_learn_argv(argv, opts):
    """The learner learns the chosen pods, for a bounded time."""
    errs = []
    if "--all-syscalls" not in opts:
        errs.append("no --all-syscalls: the learner would record audit events only")
    if not any(w in opts for w in ("-n", "--namespace", "--pod", "--container")):
        errs.append("no -n/--namespace, --pod or --container: it would count every process of the node")
    for o in ("-n", "--namespace", "--pod", "--container", "--duration"):
        if o in opts and not (opts[opts.index(o) + 1:][:1] or [""])[0].strip():
            errs.append(f"{o} with an empty value")
    if "--duration" not in opts:
        errs.append("no --duration: learning would not end")
    if "--" in argv or "--pid" in opts:
        errs.append("-- CMD or --pid: a node's learner learns running pods")
    return errs


def check_mounts(c, vols, trace_mount, mounted):
    """C's mounts: every one backed by a volume, hostPaths narrow and
    read-only except TRACE_MOUNT; adds the volumes used to MOUNTED."""
    errs = []
    for m in c.get("volumeMounts") or []:
        v = vols.get(m.get("name"))
        if v is None:
            errs.append(f"volumeMount {m.get('name')!r} has no volume")
            continue
        mounted.add(m.get("name"))
        hp = v.get("hostPath")
        if m.get("mountPropagation") == "Bidirectional":
            errs.append(f"volumeMount {m.get('name')!r}: Bidirectional propagation")
        if hp is None:
            continue
        path = os.path.normpath(hp.get("path", ""))
        if path in FORBIDDEN_HOST_PATHS or path.endswith(".sock"):
            errs.append(f"hostPath {path} is too broad or a runtime socket")
        if m is trace_mount:
            if m.get("readOnly") is True:
                errs.append("the trace directory is mounted read-only")
        elif m.get("readOnly") is not True:
            errs.append(f"hostPath {path} (volume {m.get('name')!r}) is not mounted readOnly")
    return errs


def check_idle(idle, psc, vols, mounted, trace_mount):
    """The learner's idle container: no sca record, no capability, the
    traces read-only at the learner's path."""
    what = f"container {idle.get('name')!r}"
    errs = check_security(idle, psc, what)
    if ((idle.get("securityContext") or {}).get("capabilities") or {}).get("add"):
        errs.append(f"{what} adds capabilities: it only keeps the pod up")
    argv = container_argv(idle, container_env(idle, "NODE"))
    if sca_argv(argv) or any(os.path.basename(a) == "sca" for a in argv):
        errs.append(f"{what} runs sca: the learner is the init container")
    if not argv:
        errs.append(f"{what} has no command (the image's would run sca)")
    errs += check_mounts(idle, vols, None, mounted)
    if trace_mount and not any(m.get("name") == trace_mount.get("name")
                               and m.get("mountPath") == trace_mount.get("mountPath")
                               for m in idle.get("volumeMounts") or []):
        errs.append(f"{what} does not mount the traces at {trace_mount.get('mountPath')} (kubectl exec tar)")
    return errs


def container_env(c, node):
    """C's environment as the checker expands $(VAR): spec.nodeName is NODE."""
    env = {}
    for e in c.get("env") or []:
        fr = ((e.get("valueFrom") or {}).get("fieldRef") or {}).get("fieldPath")
        env[e.get("name")] = node if fr == "spec.nodeName" else k8s_expand(str(e.get("value", "")), env)
    return env


def mutations(learn=False):
    """Copies of the manifest that must be rejected: (what, function)."""
    def pod(d):
        return find(d, "DaemonSet")[0]["spec"]["template"]["spec"]

    def ctr(d):
        return pod(d)["initContainers" if learn else "containers"][0]

    def ro_mount(d):
        return next(m for m in ctr(d)["volumeMounts"] if m.get("readOnly"))

    def drop_args(d, *words):
        ctr(d)["args"] = [a for a in ctr(d)["args"] if a not in words]

    common = [
        ("SYS_ADMIN added", lambda d: ctr(d)["securityContext"]["capabilities"]["add"].append("SYS_ADMIN")),
        ("NET_ADMIN added", lambda d: ctr(d)["securityContext"]["capabilities"]["add"].append("NET_ADMIN")),
        ("a capability removed", lambda d: ctr(d)["securityContext"]["capabilities"]["add"].pop()),
        ("privileged", lambda d: ctr(d)["securityContext"].__setitem__("privileged", True)),
        ("nothing dropped", lambda d: ctr(d)["securityContext"]["capabilities"].__setitem__("drop", [])),
        ("privilege escalation", lambda d: ctr(d)["securityContext"].__setitem__("allowPrivilegeEscalation", True)),
        ("writable root", lambda d: ctr(d)["securityContext"].__setitem__("readOnlyRootFilesystem", False)),
        ("seccomp Unconfined", lambda d: ctr(d)["securityContext"].__setitem__("seccompProfile", {"type": "Unconfined"})),
        ("no hostNetwork", lambda d: pod(d).__setitem__("hostNetwork", False)),
        ("no hostPID", lambda d: pod(d).__setitem__("hostPID", False)),
        ("writable runtime state", lambda d: ro_mount(d).__setitem__("readOnly", False)),
        ("a mount without a volume", lambda d: ctr(d)["volumeMounts"].append({"name": "nope", "mountPath": "/x"})),
        ("the host's root mounted", lambda d: (pod(d)["volumes"].append({"name": "root", "hostPath": {"path": "/"}}),
                                               ctr(d)["volumeMounts"].append({"name": "root", "mountPath": "/host",
                                                                              "readOnly": True}))),
        ("an unknown sca option", lambda d: ctr(d)["args"].append("--no-such-option")),
        ("-o outside the trace dir", lambda d: ctr(d)["command"].__setitem__(
            2, re.sub(r"/var/lib/sca/[a-z]+/", "/tmp/", ctr(d)["command"][2]))),
        ("no rotation", lambda d: drop_args(d, "--rotate", "256M", "--rotate-time", "1h", "10m")),
        ("a selector label the pods lack", lambda d: find(d, "DaemonSet")[0]["spec"]["selector"]["matchLabels"]
         .__setitem__("extra", "x")),
        ("a non-root user", lambda d: ctr(d)["securityContext"].__setitem__("runAsUser", 1000)),
        ("SYS_ADMIN added and documented", lambda d: ctr(d)["securityContext"]["capabilities"]["add"]
         .append("SYS_ADMIN")),
    ]
    if not learn:
        return common + [
            ("--all-syscalls added", lambda d: ctr(d)["args"].append("--all-syscalls")),
        ]

    def idle(d):
        return pod(d)["containers"][0]

    def env(d, name, value):
        next(e for e in ctr(d)["env"] if e["name"] == name)["value"] = value

    return common + [
        ("BPF removed", lambda d: ctr(d)["securityContext"]["capabilities"]["add"].remove("BPF")),
        ("no --all-syscalls", lambda d: drop_args(d, "--all-syscalls")),
        ("no namespace filter", lambda d: drop_args(d, "--namespace", "$(LEARN_NAMESPACES)")),
        ("an empty namespace filter", lambda d: env(d, "LEARN_NAMESPACES", "")),
        ("no --duration", lambda d: drop_args(d, "--duration", "$(LEARN_DURATION)")),
        ("an undefined $(VAR)", lambda d: ctr(d)["env"].pop()),
        ("-- CMD", lambda d: ctr(d)["args"].extend(["--", "true"])),
        ("--source auto", lambda d: ctr(d)["args"].__setitem__(ctr(d)["args"].index("audit"), "auto")),
        ("the learner as a main container", lambda d: (pod(d)["containers"].append(ctr(d)),
                                                       pod(d).__setitem__("initContainers", []))),
        ("the idle container with a capability", lambda d: idle(d)["securityContext"]["capabilities"]
         .__setitem__("add", ["SYS_PTRACE"])),
        ("the idle container running sca", lambda d: idle(d).__setitem__("command", ["/usr/bin/sca", "record"])),
        ("the idle container writing the traces", lambda d: idle(d)["volumeMounts"][0].__setitem__("readOnly", False)),
        ("the idle container privileged", lambda d: idle(d)["securityContext"].__setitem__("privileged", True)),
        ("the recorder's pod labels", lambda d: (find(d, "DaemonSet")[0]["spec"]["selector"]["matchLabels"]
                                                 .__setitem__(COMPONENT, "recorder"),
                                                 find(d, "DaemonSet")[0]["spec"]["template"]["metadata"]["labels"]
                                                 .__setitem__(COMPONENT, "recorder"))),
        ("one node at a time", lambda d: find(d, "DaemonSet")[0]["spec"]["updateStrategy"]["rollingUpdate"]
         .__setitem__("maxUnavailable", 1)),
    ]


def pod_spec(docs, node, name=None):
    """The container NAME (by default the one that runs sca, an init
    container or not) as the kubelet would start it on NODE."""
    pod = find(docs, "DaemonSet")[0]["spec"]["template"]["spec"]
    cs = [(x, True) for x in pod.get("initContainers") or []] + [(x, False) for x in pod.get("containers") or []]
    if name:
        found = [(x, i) for x, i in cs if x.get("name") == name]
    else:
        found = [(x, i) for x, i in cs if sca_argv(container_argv(x, container_env(x, node)))]
    if not found:
        raise SystemExit(f"no container {name!r}" if name else "no container runs sca")
    c, init = found[0]
    sc = c.get("securityContext") or {}
    env = {}
    for e in c.get("env") or []:
        fr = ((e.get("valueFrom") or {}).get("fieldRef") or {}).get("fieldPath")
        if fr == "spec.nodeName":
            env[e["name"]] = node
        elif "value" in e:
            env[e["name"]] = k8s_expand(str(e["value"]), env)
        else:
            raise SystemExit(f"env {e['name']}: only spec.nodeName and values are handled here")
    vols = {v["name"]: v for v in pod.get("volumes") or []}
    mounts = []
    for m in c.get("volumeMounts") or []:
        hp = vols[m["name"]].get("hostPath")
        if hp is None:
            raise SystemExit(f"volume {m['name']}: only hostPath volumes are handled here")
        mounts.append({"name": m["name"], "hostPath": hp["path"], "type": hp.get("type", ""),
                       "mountPath": m["mountPath"], "readOnly": bool(m.get("readOnly")),
                       "propagation": m.get("mountPropagation", "None")})
    return {
        "name": c.get("name"),
        "init": init,
        "argv": container_argv(c, env),
        "sca_argv": sca_argv(container_argv(c, env)),
        "env": [f"{k}={v}" for k, v in env.items()],
        "caps": ["CAP_" + x for x in (sc.get("capabilities") or {}).get("add") or []],
        "mounts": mounts,
        "uid": sc.get("runAsUser", 0),
        "gid": sc.get("runAsGroup", 0),
        "noNewPrivileges": sc.get("allowPrivilegeEscalation") is False,
        "readonlyRootfs": sc.get("readOnlyRootFilesystem") is True,
        "seccomp": (sc.get("seccompProfile") or {}).get("type"),
        "hostPID": pod.get("hostPID") is True,
        "hostNetwork": pod.get("hostNetwork") is True,
        "hostIPC": pod.get("hostIPC") is True,
        "terminationGracePeriodSeconds": pod.get("terminationGracePeriodSeconds", 30),
    }




def main():
    args = sys.argv[1:]
    if len(args) in (3, 4) and args[0] == "--pod":
        with open(args[1], encoding="utf-8") as f:
            docs = list(yaml.safe_load_all(f))
        json.dump(pod_spec(docs, args[2], args[3] if len(args) == 4 else None), sys.stdout, indent=1)
        print()
        return 0
    learn = args[:1] == ["--learn"]
    if learn:
        args = args[1:]
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    manifest, doc, sca = args
    with open(manifest, encoding="utf-8") as f:
        raw = f.read()
    try:
        docs = list(yaml.safe_load_all(raw))
    except yaml.YAMLError as e:
        print(f"FAIL: {manifest}: not well-formed YAML: {e}")
        return 1
    caps_doc = documented_caps(doc, LEARN_CAPS_MARKER if learn else CAPS_MARKER)
    sca_opts = help_options(run(sca, "help", "record"))
    for want in ("-o", "--rotate", "--source", "--all-syscalls", "--duration"):   # the help parse itself works
        if want not in sca_opts:
            print(f"FAIL: could not find {want} in `sca help record`")
            return 1
    errs = check(docs, raw, caps_doc, sca_opts, learn)
    if errs:
        for e in errs:
            print(f"FAIL: {manifest}: {e}")
        return 1
    print(f"ok: {len(docs)} documents; DaemonSet adds {sorted(caps_doc)} as {doc} documents; "
          f"every sca option is in `sca help record`")

    # The checker must be able to fail: every mutation is rejected.
    bad = 0
    for what, mutate in mutations(learn):
        d = copy.deepcopy(docs)
        mutate(d)
        got = check(d, raw + "\n# SYS_ADMIN: reason\n",
                    caps_doc + (["SYS_ADMIN"] if what.endswith("documented") else []), sca_opts, learn)
        if not got:
            print(f"FAIL: self-check: a manifest with {what} passed")
            bad += 1
        else:
            print(f"ok: rejects {what}: {got[0]}")
    # a capability whose reason comment is gone
    stripped = raw.replace("# SYS_PTRACE:", "# (reason removed)")
    got = check(copy.deepcopy(docs), stripped, caps_doc, sca_opts, learn) if stripped != raw else []
    if not got:
        print("FAIL: self-check: a capability without its reason comment passed")
        bad += 1
    else:
        print(f"ok: rejects a capability without a reason: {got[0]}")
    # the other manifest's table
    other = documented_caps(doc, CAPS_MARKER if learn else LEARN_CAPS_MARKER)
    got = check(copy.deepcopy(docs), raw, other, sca_opts, learn) if other else []
    if not got:
        print("FAIL: self-check: the other manifest's capability table passed")
        bad += 1
    else:
        print(f"ok: rejects the other manifest's capability table: {got[0]}")
    # and a document that is not well-formed
    try:
        list(yaml.safe_load_all(raw + "\n---\nkind: [unclosed\n"))
        print("FAIL: self-check: malformed YAML loaded")
        bad += 1
    except yaml.YAMLError:
        print("ok: rejects malformed YAML")
    if bad:
        return 1
    print("PASS: deploy manifest")
    return 0


if __name__ == "__main__":
    sys.exit(main())
