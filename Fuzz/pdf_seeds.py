#!/usr/bin/env python3
"""Fuzzer seeds for the PDF reader: each fixture PDF's layout as the worker writes it (selector
byte 2), cut to the fuzzer's input size with its counts kept consistent, so that the fuzzer
starts from real tables. Skipped when the debug binary is not built."""
import os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build", "debug", "disclosure")
OUT, LIMIT = sys.argv[1], int(sys.argv[2]) - 1

if not os.path.exists(BINARY):
    sys.exit(0)
n = 0
for folder, _, names in sorted(os.walk(os.path.join(ROOT, "Fixtures", "pdf"))):
    for name in sorted(names):
        with open(os.path.join(folder, name), "rb") as f:
            layout = subprocess.run([BINARY, "__pdf-layout"], stdin=f, capture_output=True).stdout.decode()
        lines = layout.splitlines()
        out, k = [lines[0]], 1
        while k < len(lines) and lines[k].startswith("page"):
            head = lines[k].split()
            count = int(head[4])
            room = (LIMIT - len("\n".join(out)) - 80) // 30
            take = max(0, min(count, room))
            out.append(" ".join(head[:4] + [str(take)]))
            out += lines[k + 1:k + 1 + take]
            k += 1 + count
            if take < count:
                break
        if len(lines) > 1 and lines[1].startswith("refused"):
            out.append(lines[1])
        out.append("end")
        n += 1
        with open(os.path.join(OUT, f"pdf-seed-{n}"), "wb") as f:
            f.write(b"\x02" + ("\n".join(out) + "\n").encode())
