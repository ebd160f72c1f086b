#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Write hostile inputs that cost far more to read than their size.

Traces are written straight from docs/format.md, with zstd frames built by
hand from raw and RLE blocks (no zstd module needed): a run of one byte
costs 4 bytes per 128 KiB, which is what makes a tiny file claim millions
of events.

  hostile.py events N OUT        one valid chunk of N one-byte events
  hostile.py claim N OUT         a good chunk, one claiming N events, a good chunk
  hostile.py damaged K OUT       a good chunk, then K chunks failing their checksum
  hostile.py string N OUT        a chunk of no events but one N-byte string
  hostile.py yaml-alias SIZE K OUT   a SIZE-byte scalar aliased K times
  hostile.py deep N OUT          N levels of '[' (JSON and YAML alike)
"""
import struct
import sys

POLY = 0x82F63B78
_TAB = []
for _i in range(256):
    _c = _i
    for _ in range(8):
        _c = (_c >> 1) ^ POLY if _c & 1 else _c >> 1
    _TAB.append(_c)


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _TAB[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def varint(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def zigzag(v):
    return (v << 1) ^ (v >> 63) if v >= 0 else ((-v) << 1) - 1


def tlv(t, body):
    return varint(t) + varint(len(body)) + body


BLOCK_MAX = 128 << 10


def zstd_frame(parts):
    """parts: list of bytes (stored raw) or (byte, count) runs (stored RLE)."""
    size = sum(len(p) if isinstance(p, bytes) else p[1] for p in parts)
    blocks = []
    for p in parts:
        if isinstance(p, bytes):
            for i in range(0, len(p), BLOCK_MAX):
                blocks.append((0, p[i:i + BLOCK_MAX], len(p[i:i + BLOCK_MAX])))
        else:
            b, n = p
            while n:
                k = min(n, BLOCK_MAX)
                blocks.append((1, bytes([b]), k))
                n -= k
    if not blocks:
        blocks.append((0, b"", 0))
    out = bytearray(b"\x28\xb5\x2f\xfd")
    out.append(0xE0)                     # 8-byte content size, single segment
    out += struct.pack("<Q", size)
    for i, (kind, data, n) in enumerate(blocks):
        last = 1 if i == len(blocks) - 1 else 0
        hdr = last | (kind << 1) | (n << 3)
        out += struct.pack("<I", hdr)[:3] + data
    return bytes(out), size


def file_header():
    meta = tlv(1, b"hostile") + tlv(3, b"synthetic")
    h = b"SCATRACE" + struct.pack("<HHII", 1, 0, 0x01020304, len(meta)) + meta
    return h + struct.pack("<I", crc32c(h))


def chunk(parts, events, seq, crc_ok=True):
    z, raw = zstd_frame(parts)
    pcrc = crc32c(z) ^ (0 if crc_ok else 1)
    h = b"SCAC" + struct.pack("<HHIIII", 48, 0, len(z), raw, events, pcrc)
    h += struct.pack("<QQI", 1000, 1000, seq)
    return h + struct.pack("<I", crc32c(h)) + z


def defs():
    proc = b"".join(varint(v) for v in
                    (1, zigzag(42), zigzag(1), 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0))
    return tlv(1, b"\x01bomb") + tlv(3, proc)


def events_record(n, pad=0):
    """n events of process 1; only the PROC column, one byte each."""
    col = varint(2) + varint(n)
    body_len = len(varint(n)) + len(col) + n
    head = varint(4) + varint(body_len) + varint(n) + col
    return [defs() + head, (1, n)]


def good_chunk(seq, n=3):
    return chunk(events_record(n), n, seq)


def trace_events(n):
    return file_header() + chunk(events_record(n), n, 0)


def trace_claim(n):
    # the claim in the header and in the EVENTS record; the column holds one
    parts = [defs() + tlv(4, varint(n) + tlv(2, b"\x01"))]
    return file_header() + good_chunk(0) + chunk(parts, n, 1) + good_chunk(2)


def trace_damaged(k):
    bad = chunk(events_record(1), 1, 1, crc_ok=False)
    return file_header() + good_chunk(0) + bad * k


def trace_string(n):
    body_head = varint(1)                # string id 1, then n bytes of 'A'
    parts = [varint(1) + varint(len(body_head) + n) + body_head, (0x41, n)]
    return file_header() + chunk(parts, 0, 0) + good_chunk(1)


def yaml_alias(size, k):
    lines = ["defaultAction: SCMP_ACT_ERRNO", "x: &a " + "A" * size, "y:"]
    lines += ["  - *a"] * k
    return ("\n".join(lines) + "\n").encode()


def deep(n):
    return b"[" * n + b"]" * n + b"\n"


def main(argv):
    kind, args, out = argv[1], argv[2:-1], argv[-1]
    make = {
        "events": lambda: trace_events(int(args[0])),
        "claim": lambda: trace_claim(int(args[0])),
        "damaged": lambda: trace_damaged(int(args[0])),
        "string": lambda: trace_string(int(args[0])),
        "yaml-alias": lambda: yaml_alias(int(args[0]), int(args[1])),
        "deep": lambda: deep(int(args[0])),
    }
    with open(out, "wb") as f:
        f.write(make[kind]())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
