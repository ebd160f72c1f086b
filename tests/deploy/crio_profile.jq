# A profile in containers-common's format (CRI-O's and podman's: rules
# with includes/excludes of capabilities and arches) as the runtime makes
# it for a container with the capabilities $caps on amd64: the OCI
# linux.seccomp section that runc loads.
def has_all($want): ($want // []) - $caps | length == 0;
def has_any($want): ($want // []) - (($want // []) - $caps) | length > 0;
def applies($r): has_all(($r.includes // {}).caps)
	and ((($r.includes // {}).arches // ["amd64"]) | index("amd64") != null)
	and (has_any(($r.excludes // {}).caps) | not)
	and ((($r.excludes // {}).arches // []) | index("amd64") == null);
{defaultAction, defaultErrnoRet,
 architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
 syscalls: [.syscalls[] | select(applies(.))
	| {names, action, args: (.args // [])} + (if .errnoRet then {errnoRet} else {} end)]}
