#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check deploy/sca-daemonset.yaml, or print its container spec.

  check_manifest.py MANIFEST DOC SCA
      Load every YAML document (well-formed), check the DaemonSet against
      what docs/kubernetes.md (DOC) says and what `SCA help record` accepts,
      then check that the checker rejects mutated copies (SYS_ADMIN added,
      privileged, a writable runtime mount ...). Exit 0 if all is well, 1
      with one line per problem.

  check_manifest.py --pod MANIFEST NODE_NAME
      Print, as JSON, the container as the kubelet would start it on node
      NODE_NAME: argv ($(VAR) expanded as Kubernetes does), environment,
      capabilities, mounts, user and security settings.
      tests/deploy/test_deploy_pod.sh turns it into a runc container.

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
# Every capability `sca record --source audit` can make use of (record/caps.c,
# record/source_audit.c): any other one is refused even when documented.
AUDIT_SOURCE_CAPS = {"AUDIT_READ", "SYS_PTRACE", "DAC_READ_SEARCH", "DAC_OVERRIDE", "NET_ADMIN"}
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


def documented_caps(doc_path):
    with open(doc_path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    caps, inside = [], False
    for line in lines:
        if line.startswith(CAPS_MARKER):
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


def check(docs, raw, caps_doc, sca_opts):
    """Return the list of problems of the manifest (empty: all good)."""
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
    if len(containers) != 1:
        return errs + [f"{len(containers)} containers, want 1"]
    for c in (pod.get("initContainers") or []) + (pod.get("ephemeralContainers") or []):
        errs.append(f"extra container {c.get('name')!r}: not checked, not expected")
    c = containers[0]
    if not c.get("image"):
        errs.append("container has no image")

    sc = c.get("securityContext") or {}
    if sc.get("privileged") is True:
        errs.append("container is privileged")
    if sc.get("allowPrivilegeEscalation") is not False:
        errs.append("allowPrivilegeEscalation is not false")
    if sc.get("readOnlyRootFilesystem") is not True:
        errs.append("readOnlyRootFilesystem is not true")
    if sc.get("runAsUser", psc.get("runAsUser")) != 0:
        errs.append("runAsUser is not 0 (without ambient capabilities a non-root sca has none)")
    if sc.get("procMount") not in (None, "Default"):
        errs.append("procMount is not Default")
    st = (sc.get("seccompProfile") or psc.get("seccompProfile") or {}).get("type")
    if st != "RuntimeDefault":
        errs.append(f"seccompProfile {st!r}, want RuntimeDefault")
    capsc = sc.get("capabilities") or {}
    if capsc.get("drop") != ["ALL"]:
        errs.append(f"capabilities.drop {capsc.get('drop')!r}, want [ALL]")
    add = capsc.get("add") or []
    if not caps_doc:
        errs.append("the documentation lists no capabilities (marker missing?)")
    if sorted(add) != sorted(caps_doc):
        errs.append(f"capabilities.add {sorted(add)}, documented {sorted(caps_doc)}")
    for cap in add:
        if cap not in AUDIT_SOURCE_CAPS:
            errs.append(f"capability {cap}: sca record --source audit has no use for it")
        if not re.search(r"#\s*" + re.escape(cap) + r":", raw):
            errs.append(f"capability {cap} has no reason in a YAML comment (# {cap}: ...)")

    # the command line
    env = {}
    for e in c.get("env") or []:
        fr = ((e.get("valueFrom") or {}).get("fieldRef") or {}).get("fieldPath")
        env[e.get("name")] = "NODE" if fr == "spec.nodeName" else e.get("value", "")
    node_env = next((e for e in c.get("env") or [] if e.get("name") == "NODE_NAME"), None)
    if ((((node_env or {}).get("valueFrom") or {}).get("fieldRef") or {}).get("fieldPath")) != "spec.nodeName":
        errs.append("env NODE_NAME does not come from spec.nodeName")
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

    # volumes and mounts
    vols = {v.get("name"): v for v in pod.get("volumes") or []}
    mounts = c.get("volumeMounts") or []
    trace_mount = None
    for m in mounts:
        if out and os.path.dirname(out) == os.path.normpath(m.get("mountPath", "")):
            trace_mount = m
    if out and not trace_mount:
        errs.append(f"-o {out} is not directly in a mounted volume")
    mounted = set()
    for m in mounts:
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
    if trace_mount and "hostPath" not in (vols.get(trace_mount.get("name")) or {}):
        errs.append("the trace directory is not a hostPath: traces would die with the pod")
    for name, v in vols.items():
        if name not in mounted:
            errs.append(f"volume {name!r} is not mounted")
    return errs


def mutations():
    """Copies of the manifest that must be rejected: (what, function)."""
    def ctr(d):
        return find(d, "DaemonSet")[0]["spec"]["template"]["spec"]["containers"][0]

    def pod(d):
        return find(d, "DaemonSet")[0]["spec"]["template"]["spec"]

    def ro_mount(d):
        return next(m for m in ctr(d)["volumeMounts"] if m.get("readOnly"))

    return [
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
            2, ctr(d)["command"][2].replace("/var/lib/sca/traces/", "/tmp/"))),
        ("no rotation", lambda d: ctr(d).__setitem__(
            "args", [a for a in ctr(d)["args"] if a not in ("--rotate", "256M", "--rotate-time", "1h")])),
        ("a selector label the pods lack", lambda d: find(d, "DaemonSet")[0]["spec"]["selector"]["matchLabels"]
         .__setitem__("extra", "x")),
        ("a non-root user", lambda d: ctr(d)["securityContext"].__setitem__("runAsUser", 1000)),
    ]


def pod_spec(docs, node):
    """The container as the kubelet would start it on NODE."""
    pod = find(docs, "DaemonSet")[0]["spec"]["template"]["spec"]
    c = pod["containers"][0]
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
    if len(sys.argv) == 4 and sys.argv[1] == "--pod":
        with open(sys.argv[2], encoding="utf-8") as f:
            docs = list(yaml.safe_load_all(f))
        json.dump(pod_spec(docs, sys.argv[3]), sys.stdout, indent=1)
        print()
        return 0
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    manifest, doc, sca = sys.argv[1:]
    with open(manifest, encoding="utf-8") as f:
        raw = f.read()
    try:
        docs = list(yaml.safe_load_all(raw))
    except yaml.YAMLError as e:
        print(f"FAIL: {manifest}: not well-formed YAML: {e}")
        return 1
    caps_doc = documented_caps(doc)
    sca_opts = help_options(run(sca, "help", "record"))
    for want in ("-o", "--rotate", "--source"):   # the help parse itself works
        if want not in sca_opts:
            print(f"FAIL: could not find {want} in `sca help record`")
            return 1
    errs = check(docs, raw, caps_doc, sca_opts)
    if errs:
        for e in errs:
            print(f"FAIL: {manifest}: {e}")
        return 1
    print(f"ok: {len(docs)} documents; DaemonSet adds {sorted(caps_doc)} as {doc} documents; "
          f"every sca option is in `sca help record`")

    # The checker must be able to fail: every mutation is rejected.
    bad = 0
    for what, mutate in mutations() + [
            ("SYS_ADMIN added and documented",
             lambda d: find(d, "DaemonSet")[0]["spec"]["template"]["spec"]["containers"][0]
             ["securityContext"]["capabilities"]["add"].append("SYS_ADMIN"))]:
        d = copy.deepcopy(docs)
        mutate(d)
        got = check(d, raw + "\n# SYS_ADMIN: reason\n",
                    caps_doc + (["SYS_ADMIN"] if what.endswith("documented") else []), sca_opts)
        if not got:
            print(f"FAIL: self-check: a manifest with {what} passed")
            bad += 1
        else:
            print(f"ok: rejects {what}: {got[0]}")
    # a capability whose reason comment is gone
    stripped = raw.replace("# SYS_PTRACE:", "# (reason removed)")
    got = check(copy.deepcopy(docs), stripped, caps_doc, sca_opts) if stripped != raw else []
    if not got:
        print("FAIL: self-check: a capability without its reason comment passed")
        bad += 1
    else:
        print(f"ok: rejects a capability without a reason: {got[0]}")
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
