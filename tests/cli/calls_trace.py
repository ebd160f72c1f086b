#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Write a format 1.1 trace with CALLS records, straight from docs/format.md.

  calls_trace.py OUT

One chunk: an event of `cat` (ptrace refused with EPERM); 42 calls of read
by the same process under a filter, with arguments and bytes a later
version might append; an unknown record; 8 calls of write by a process
whose comm retitles a terminal; 7 calls of openat by no known process;
3 lost events. Then a footer with total_calls. Being written by another
hand than the library's writer, it checks the specification as much as
the reader.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hostile import crc32c, tlv, varint, zigzag, zstd_frame  # noqa: E402

X86_64 = 0xC000003E
T0 = 1700000000123456789
HOSTILE_COMM = b"\x1b]0;PWNED\x07"


def vs(*values):
    return b"".join(varint(v) for v in values)


def process(pid_id, pid, comm_id):
    # id, pid, ppid, uid, gid, auid, ses, mnt_ns, pid_ns, cgroup_id, comm, exe, cgroup, container
    return tlv(3, vs(pid_id, zigzag(pid), zigzag(1), 1000, 1000, 1000, 3, 0, 0, 0, comm_id, 0, 0, 0))


def event():
    cols = (tlv(1, varint(T0) + b"\x00") + tlv(2, varint(1)) + tlv(3, varint(zigzag(2))) +
            tlv(5, varint(X86_64)) + tlv(6, varint(zigzag(101))) + tlv(7, varint(0x00050001)))
    return tlv(4, varint(1) + cols)


def calls(proc, tid_delta, syscall, t, count, flags, args=None, extra=b""):
    body = vs(proc, zigzag(tid_delta), X86_64, zigzag(syscall), t, count, flags)
    if args:
        body += vs(*args[0]) + vs(*args[1])
    return tlv(6, body + extra)


def payload():
    p = tlv(1, b"\x01cat") + tlv(1, b"\x02" + HOSTILE_COMM) + tlv(1, b"\x03bpf")
    p += process(1, 1234, 1) + process(2, 77, 2)
    p += event()
    p += calls(1, 2, 0, T0 + 1000, 42, 0x1 | 0x8,
               ((3, 0x7FFD0000, 4096, 0, 0, 0), (0xFFFFFFFF, 0, 2**64 - 1, 0, 0, 0)), b"\x05\x06")
    p += tlv(77, b"\x01\x02\x03")
    p += calls(2, 0, 1, T0 + 2000, 8, 0)
    p += calls(0, 0, 257, T0 + 3000, 7, 0x2)
    p += tlv(5, vs(T0 + 4000, 3, 3))
    return p


def main(argv):
    meta = tlv(1, b"calls-host") + tlv(3, b"bpf")
    h = b"SCATRACE" + struct.pack("<HHII", 1, 1, 0x01020304, len(meta)) + meta
    out = h + struct.pack("<I", crc32c(h))

    z, raw = zstd_frame([payload()])
    chunk_at = len(out)
    ch = b"SCAC" + struct.pack("<HHIIII", 48, 0, len(z), raw, 1, crc32c(z))
    ch += struct.pack("<QQI", T0, T0 + 4000, 0)
    out += ch + struct.pack("<I", crc32c(ch)) + z

    footer_at = len(out)
    body = vs(1, 3, 1, chunk_at, 1, T0, 4000, 3)
    f = b"SCAF" + struct.pack("<I", len(body)) + body
    out += f + struct.pack("<I", crc32c(f)) + struct.pack("<Q", footer_at) + b"SCATEND\n"
    with open(argv[1], "wb") as fh:
        fh.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
