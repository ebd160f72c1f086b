#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
# A mixed file-and-interpreter workload for bench_learn.sh: Python starts,
# then writes, reads back, hashes, stats, lists and removes N small files
# in a private directory (in /dev/shm where there is one: the disk's own
# noise is not what is measured), with some JSON in between, and spawns a
# few short children. About 1.5 s on the project's machines at N=10000.
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
d = tempfile.mkdtemp(prefix="sca-mixed-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
try:
    digest = hashlib.sha256()
    for i in range(n):
        p = os.path.join(d, "f%05d" % i)
        with open(p, "wb") as f:
            f.write(json.dumps({"i": i, "data": "x" * 200}).encode() * 8)
        with open(p, "rb") as f:
            digest.update(f.read())
        os.stat(p)
        if i % 100 == 0:
            os.listdir(d)
        if i % 500 == 0:
            subprocess.run(["/bin/true"], check=True)
    for name in os.listdir(d):
        os.unlink(os.path.join(d, name))
    print(digest.hexdigest()[:16])
finally:
    shutil.rmtree(d, ignore_errors=True)
