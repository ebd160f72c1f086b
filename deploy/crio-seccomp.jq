# CRI-O's default seccomp profile (containers-common's seccomp.json) with
# the two calls sca's DaemonSets need and that profile refuses to them:
#   - bpf for a container with CAP_BPF (the profile grants it only with
#     CAP_SYS_ADMIN), for sca-learn-daemonset.yaml;
#   - an audit netlink socket without CAP_AUDIT_WRITE (the profile answers
#     EINVAL), for the audit source of both manifests: socket is allowed
#     whatever its arguments, as containerd's default profile does.
# Everything else stays as the runtime has it. docs/kubernetes.md
# ("CRI-O nodes") says where to put the result:
#   jq -f deploy/crio-seccomp.jq /usr/share/containers/seccomp.json >sca.json
(.syscalls[] | select(.action == "SCMP_ACT_ERRNO" and (.names | index("bpf")))).names -= ["bpf"]
| .syscalls += [{"names": ["bpf"], "action": "SCMP_ACT_ALLOW", "args": [], "comment": "sca: CAP_BPF",
	"includes": {"caps": ["CAP_BPF"]}, "excludes": {}}]
| del(.syscalls[] | select(.names == ["socket"]))
| .syscalls += [{"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [], "comment": "sca: audit netlink",
	"includes": {}, "excludes": {}}]
