#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""What a terminal shows after the bytes a program wrote to it.

  tty_screen.py TRANSCRIPT

TRANSCRIPT is a pseudo-terminal's output (script -q ... /dev/null). As a
terminal does: CR goes back to the first column, LF to the next line,
ESC [ K erases from the cursor to the end of the line, any other character
is written over what the line held. The lines shown are printed, one each.
Any other escape or control character exits 1, saying where: sca draws its
progress line with CR and ESC [ K only, and untrusted names escaped.
"""
import sys


def screen(text):
    lines, col = [[]], 0
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\r":
            col = 0
        elif c == "\n":
            lines.append([])
            col = 0
        elif text.startswith("\x1b[K", i):
            del lines[-1][col:]
            i += 3
            continue
        elif (ord(c) < 0x20 and c != "\t") or 0x7f <= ord(c) <= 0x9f:
            raise ValueError("control character 0x%02x at %d: %r" % (ord(c), i, text[max(0, i - 40):i + 40]))
        else:
            line = lines[-1]
            line.extend(" " * (col - len(line)))
            if col < len(line):
                line[col] = c
            else:
                line.append(c)
            col += 1
        i += 1
    return ["".join(line) for line in lines]


def main():
    text = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
    try:
        shown = screen(text)
    except ValueError as e:
        print("tty_screen: %s: %s" % (sys.argv[1], e), file=sys.stderr)
        return 1
    for line in shown:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
