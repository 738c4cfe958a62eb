#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Do two `myoreg report --format json` documents say the same?

    samejson.py SQLITE.json POSTGRESQL.json

The report of the same registry on the two backends must be byte-
identical (issue 9: one rule in one place, above the store).  If the
bytes differ, the two documents are walked side by side: every string,
key and count must be equal and every other number agree to a relative
1e-9.  Prints what it found (the first differences, with their paths)
and exits 1 if the documents differ by more than the formatting of
numbers.
"""
import json
import math
import sys


def walk(a, b, path, out):
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            out.append("%s: keys %s / %s" % (path, sorted(a), sorted(b)))
            return
        for k in a:
            walk(a[k], b[k], "%s.%s" % (path, k), out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append("%s: %d / %d items" % (path, len(a), len(b)))
            return
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, "%s[%d]" % (path, i), out)
    elif (isinstance(a, float) or isinstance(b, float)) and \
            isinstance(a, (int, float)) and isinstance(b, (int, float)) and \
            not isinstance(a, bool) and not isinstance(b, bool):
        if not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12):
            out.append("%s: %r / %r" % (path, a, b))
    elif type(a) is not type(b) or a != b:
        out.append("%s: %r / %r" % (path, a, b))


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    with open(argv[1], "rb") as f:
        raw_a = f.read()
    with open(argv[2], "rb") as f:
        raw_b = f.read()
    if raw_a == raw_b:
        print("the two reports are byte-identical (%d bytes)" % len(raw_a))
        return 0
    out = []
    walk(json.loads(raw_a), json.loads(raw_b), "$", out)
    if not out:
        print("the two reports differ in bytes but agree on every string "
              "and count, and on every number to a relative 1e-9")
        return 0
    print("the two reports differ in %d place%s, e.g.:" %
          (len(out), "" if len(out) == 1 else "s"))
    for line in out[:10]:
        print("  " + line)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
