#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check the man pages against the binary they document.

usage: check_man.py SCA MAN_SRC_DIR MAN_BUILD_DIR [DOC_FILE...]

For every command in `sca help`, the options its `sca help COMMAND` lists
and the options its page's OPTIONS section defines must be the same set;
sca(1) must list exactly the commands `sca help` lists; every built page
must render with groff without a warning. And every `sca COMMAND ...` line
in the code blocks of the pages and of the DOC_FILEs (README, docs/*.md)
uses only options that command has. Prints every difference and exits 1 if
there is any.
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from sca_help import OPT, help_commands, help_options, run  # noqa: E402

def man_section(src, name):
    m = re.search(r"^# " + name + r"\n(.*?)(?=^# |\Z)", src, re.S | re.M)
    return m.group(1) if m else ""


def man_options(src):
    """Options a page's OPTIONS section defines: the bold option tokens of
    its entry lines (lines that start with '*', not the indented text)."""
    opts = set()
    for line in man_section(src, "OPTIONS").splitlines():
        if line.startswith("*"):
            opts.update(re.findall(r"\*(--?[A-Za-z][A-Za-z0-9-]*)\*", line))
    return opts


def code_lines(path):
    """The lines of a file's code blocks: ``` fences, and in Markdown also
    blocks indented by four spaces."""
    out, fenced = [], False
    md = path.endswith(".md")
    for n, line in enumerate(open(path), 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if fenced or (md and line.startswith("    ")):
            out.append((n, line.rstrip("\n")))
    return out


CMD_LINE = re.compile(r"(?<![\w/-])sca\s+([a-z][a-z-]*)(?![\w:-])(.*)")


def check_examples(path, opts_of):
    """Each `sca CMD ...` in a code block: every option is one CMD has. The
    options end where another command begins: `--` (the command sca runs),
    a pipe, `;`, `&&`, a redirection, a closing quote."""
    problems, seen = [], 0
    for n, line in code_lines(path):
        m = CMD_LINE.search(line)
        if not m or m.group(1) not in opts_of:
            continue
        seen += 1
        rest = re.split(r"\s--(?:\s|$)|[|;&>']", m.group(2))[0]
        for o in OPT.findall(rest):
            if o not in opts_of[m.group(1)]:
                problems.append(f"{path}:{n}: sca {m.group(1)} has no option '{o}'")
    return problems, seen


def main():
    sca, src_dir, build_dir = sys.argv[1:4]
    docs = sys.argv[4:]
    problems = []

    commands = help_commands(sca)
    if len(commands) < 4:
        problems.append(f"sca help lists only {commands}")
    top = open(f"{src_dir}/sca.1.scd").read()
    listed = re.findall(r"^\*([a-z-]+)\*", man_section(top, "COMMANDS"), re.M)
    if sorted(listed) != sorted(commands):
        problems.append(f"sca.1 COMMANDS {sorted(listed)} != sca help {sorted(commands)}")
    top_help = help_options(run(sca, "help").split("Commands:")[0])
    top_help.add("-h")  # `sca -h` is accepted; the usage line shows --help
    if man_options(top) != top_help:
        problems.append(f"sca.1 options {sorted(man_options(top))} != sca help {sorted(top_help)}")

    pages = ["sca.1"]
    for cmd in commands:
        if cmd in ("help", "version"):
            continue  # described in sca(1)
        page = f"sca-{cmd}.1"
        pages.append(page)
        try:
            src = open(f"{src_dir}/{page}.scd").read()
        except OSError as e:
            problems.append(f"{page}: {e.strerror}")
            continue
        in_help = help_options(run(sca, "help", cmd))
        in_man = man_options(src)
        for o in sorted(in_help - in_man):
            problems.append(f"{page}: '{o}' is in sca help {cmd} but not in the page's OPTIONS")
        for o in sorted(in_man - in_help):
            problems.append(f"{page}: '{o}' is in the page's OPTIONS but not in sca help {cmd}")
        if len(in_help) < 3:
            problems.append(f"sca help {cmd}: found only {sorted(in_help)} (parser broken?)")
        print(f"{page}: {len(in_help)} options in --help, {len(in_man)} in the page")
    pages.append("sca-trace.5")

    for page in pages:
        out = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", f"{build_dir}/{page}"],
                             capture_output=True, text=True)
        if out.returncode != 0 or out.stderr:
            problems.append(f"{page}: groff: {out.stderr.strip() or out.returncode}")
        text = run("groff", "-man", "-Tutf8", "-P-cbou", f"{build_dir}/{page}")
        if "NAME" not in text or "SEE ALSO" not in text:
            problems.append(f"{page}: rendered page lacks NAME or SEE ALSO")

    opts_of = {c: help_options(run(sca, "help", c)) | {"-h", "--help"} for c in commands}
    opts_of["version"] = set()
    examples = 0
    for path in [f"{src_dir}/{p}.scd" for p in pages] + docs:
        found, seen = check_examples(path, opts_of)
        problems += found
        examples += seen
    if examples < 20:
        problems.append(f"only {examples} example command lines found (parser broken?)")
    print(f"{examples} example command lines checked")

    for p in problems:
        print("FAIL: " + p, file=sys.stderr)
    if problems:
        return 1
    print(f"PASS: {len(pages)} pages agree with sca help")
    return 0


if __name__ == "__main__":
    sys.exit(main())
