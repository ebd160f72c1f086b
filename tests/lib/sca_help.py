# SPDX-License-Identifier: BSD-2-Clause
"""What `sca help` says, parsed once for the Python checkers of the docs
(tests/docs/check_man.py) and of the DaemonSet manifest
(tests/deploy/check_manifest.py)."""
import re
import subprocess

OPT = re.compile(r"(?<![\w-])(--?[A-Za-z][A-Za-z0-9-]*)")
# Options of other programs that help texts name in their prose.
FOREIGN = {"--security-opt"}


def run(*argv):
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout


def help_commands(sca):
    """The command names of `sca help`'s list."""
    out = run(sca, "help")
    body = out.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in body.splitlines() if line.strip()]


def help_options(text):
    """Options a help text defines: every option token in the usage lines
    and in the first column of its option lines (an indented line that
    starts with '-'; the column ends at a gap of two spaces)."""
    opts = set()
    for line in text.splitlines():
        if line.startswith("usage:") or line.startswith("       sca "):
            spec = line
        elif re.match(r"^ {2,}-", line):
            spec = re.split(r"(?<=\S) {2,}", line.strip(), maxsplit=1)[0]
        else:
            continue
        opts.update(o for o in OPT.findall(spec) if o not in FOREIGN)
    return opts
