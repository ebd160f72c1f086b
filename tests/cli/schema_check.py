#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Validate profiles sca wrote against the schemas of the projects that read them.

  schema_check.py SCHEMA_DIR [--xfail FILE]... FILE...

A .json FILE is an OCI seccomp profile: it must pass runtime-spec's
`linux.seccomp` schema (config-linux.json, with defs*.json). A .yaml FILE
is a SeccompProfile: it must pass the openAPIV3Schema of the version its
apiVersion names in the Security Profiles Operator's CRD, checked the way
the API server checks it where plain JSON Schema does not (format int32 and
int64 ranges, x-kubernetes-list-type: set as unique items), and carry no
namespace in the version the CRD stores when it is cluster-scoped.

A FILE named with --xfail is known to fail: its errors are said, and do
not count; once it passes, that is said instead.

Exit status: 0 all valid, 1 some invalid (each said on stderr), 77 when
python3-jsonschema or python3-yaml is missing.
"""
import json
import os
import re
import sys

try:
    import jsonschema
    import yaml
except ImportError as e:
    print(f"schema_check.py: {e} (python3-jsonschema, python3-yaml)", file=sys.stderr)
    sys.exit(77)

GROUP = "security-profiles-operator.x-k8s.io"
DNS1123 = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


def kube_formats():
    fc = jsonschema.FormatChecker()

    def ranged(bits):
        lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
        return lambda v: not isinstance(v, int) or isinstance(v, bool) or lo <= v <= hi

    fc.checks("int32")(ranged(32))
    fc.checks("int64")(ranged(64))
    return fc


def kube_schema(node):
    """The schema with the list types the API server enforces made JSON Schema."""
    if isinstance(node, dict):
        out = {k: kube_schema(v) for k, v in node.items()}
        if node.get("x-kubernetes-list-type") == "set":
            out["uniqueItems"] = True
        return out
    if isinstance(node, list):
        return [kube_schema(v) for v in node]
    return node


def errors(validator, doc):
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}"
            for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))]


def check_spo(crd, path):
    with open(path) as f:
        docs = [d for d in yaml.safe_load_all(f) if d is not None]
    if len(docs) != 1:
        return [f"{len(docs)} YAML documents, expected 1"]
    doc = docs[0]
    api = str(doc.get("apiVersion", ""))
    group, _, version = api.partition("/")
    if group != crd["spec"]["group"] or doc.get("kind") != crd["spec"]["names"]["kind"]:
        return [f"apiVersion {api!r} kind {doc.get('kind')!r}: not a {GROUP} SeccompProfile"]
    served = {v["name"]: v for v in crd["spec"]["versions"] if v.get("served")}
    if version not in served:
        return [f"apiVersion {api!r}: the CRD serves {', '.join(sorted(served))}"]
    schema = kube_schema(served[version]["schema"]["openAPIV3Schema"])
    out = errors(jsonschema.Draft4Validator(schema, format_checker=kube_formats()), doc)
    meta = doc.get("metadata") or {}
    name = meta.get("name")
    if not isinstance(name, str) or len(name) > 253 or not DNS1123.match(name):
        out.append(f"metadata/name: {name!r} is not a DNS-1123 subdomain")
    # the stored version is cluster-scoped; older operators' CRDs made v1beta1 namespaced
    if crd["spec"]["scope"] == "Cluster" and served[version].get("storage") and "namespace" in meta:
        out.append(f"metadata/namespace: the CRD makes {version} cluster-scoped")
    return out


def inline_refs(node, docs, here):
    """NODE with every $ref replaced by what it names: the same on every jsonschema version."""
    if isinstance(node, list):
        return [inline_refs(v, docs, here) for v in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name, _, pointer = node["$ref"].partition("#")
        name = name or here
        target = docs[name]
        for part in pointer.strip("/").split("/"):
            if part:
                target = target[part]
        return inline_refs(target, docs, name)
    return {k: inline_refs(v, docs, here) for k, v in node.items()}


def oci_validator(schema_dir):
    docs = {}
    for n in ["config-linux.json", "defs.json", "defs-linux.json"]:
        with open(os.path.join(schema_dir, n)) as f:
            docs[n] = json.load(f)
    seccomp = docs["config-linux.json"]["linux"]["properties"]["seccomp"]
    return jsonschema.Draft4Validator(inline_refs(seccomp, docs, "config-linux.json"))


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    schema_dir, args = sys.argv[1], sys.argv[2:]
    xfail, files = set(), []
    while args:
        if args[0] == "--xfail" and len(args) > 1:
            xfail.add(args[1])
            args = args[2:]
        else:
            files.append(args.pop(0))
    with open(os.path.join(schema_dir, "seccompprofile-crd.yaml")) as f:
        crd = yaml.safe_load(f)
    oci = oci_validator(schema_dir)
    bad = 0
    for path in files:
        if path.endswith(".json"):
            with open(path) as f:
                out = errors(oci, json.load(f))
        else:
            out = check_spo(crd, path)
        if path in xfail:
            print(f"expected failure: {path}: {out[0]}" if out else
                  f"note: {path} now passes its schema: drop its --xfail", file=sys.stderr)
            continue
        for e in out[:10]:
            print(f"{path}: {e}", file=sys.stderr)
        if len(out) > 10:
            print(f"{path}: ... {len(out) - 10} more", file=sys.stderr)
        bad += bool(out)
    print(f"schema_check.py: {len(files)} profiles, {bad} invalid, {len(xfail & set(files))} expected to fail",
          file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
