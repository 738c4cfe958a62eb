#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The rate over time of a `myoreg import`, from its own progress line.

    progress.py run SAMPLES OUT -- COMMAND...
        Runs COMMAND with stdout to OUT and stderr on a pseudo-terminal
        (myoreg shows its progress line only on a terminal: a line every
        0.2 s at most, the clock read once every 1,024 rows, so watching
        it costs the import nothing measurable).  Each progress line is
        written to SAMPLES as "SECONDS RECORDS FILE", the seconds since
        the start, taken when the line arrived; any other text on stderr
        is passed on to stderr.  Prints "WALL_S PEAK_RSS_KB" of COMMAND
        alone (wait4), and exits with its status.

    progress.py windows SAMPLES WALL RECORDS [WIDTH]
        Prints the records stored in each WIDTH-second window (default 10)
        and their rate, from the samples; RECORDS is the total of the
        import's summary and WALL its wall time.  The time after the last
        progress line (commit, indexes, checks) is its own row.
"""
import os
import pty
import re
import subprocess
import sys
import time

LINE = re.compile(rb"importing (.*): +\d+%, (\d+) records, ")
SEP = re.compile(rb"[\r\n]")


def run(samples, out, argv):
    master, slave = pty.openpty()
    t0 = time.monotonic()
    with open(out, "wb") as o:
        child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=o,
                                 stderr=slave, close_fds=True)
    os.close(slave)
    pending = b""
    pending_t = 0.0
    with open(samples, "w", encoding="utf-8") as s:

        def take(part, t):
            m = LINE.search(part)
            if m:
                s.write("%.3f %s %s\n" % (t, m.group(2).decode(),
                                          m.group(1).decode(errors="replace")))
            elif part.strip(b"\x1b[K \t"):
                sys.stderr.buffer.write(part + b"\n")

        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child's end of the terminal is closed
                break
            if not data:
                break
            t = time.monotonic() - t0
            if not pending:
                pending_t = t
            parts = SEP.split(pending + data)
            # a part is timed when its first byte arrived: a progress line
            # ends only when the next one begins, 0.2 s later
            for i, part in enumerate(parts[:-1]):
                take(part, pending_t if i == 0 else t)
            if len(parts) > 1:
                pending_t = t
            pending = parts[-1]
        if pending:
            take(pending, pending_t)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - t0
    child.returncode = os.waitstatus_to_exitcode(status)
    os.close(master)
    print("%.2f %d" % (wall, usage.ru_maxrss))
    return child.returncode if child.returncode >= 0 else 128 - child.returncode


def windows(samples, wall, records, width):
    pts = [(0.0, 0, "")]
    with open(samples, encoding="utf-8") as s:
        for line in s:
            t, n, f = line.rstrip("\n").split(" ", 2)
            pts.append((float(t), int(n), f))
    last_t, last_n, _ = pts[-1]

    def at(t):
        """Records stored at t, linear between two progress lines."""
        for (t0, n0, _), (t1, n1, _) in zip(pts, pts[1:]):
            if t <= t1:
                return n0 + (n1 - n0) * (t - t0) / (t1 - t0) if t1 > t0 else n1
        return last_n

    def files(a, b):
        names = []
        for t, _, f in pts[1:]:
            f = os.path.basename(f)
            if a < t <= b + 0.25 and f not in names:
                names.append(f)
        return ",".join(names)

    print("%8s %8s %12s %10s  %s" % ("from_s", "to_s", "records", "rows/s",
                                     "reading"))
    a = 0.0
    while a < last_t:
        b = min(a + width, last_t)
        n = at(b) - at(a)
        print("%8.0f %8.1f %12.0f %10.0f  %s" % (a, b, n, n / (b - a) if b > a
                                                 else 0, files(a, b)))
        a = b
    print("%8.1f %8.1f %12d %10s  %s" % (last_t, wall, records - last_n, "-",
                                         "(after the last progress line: "
                                         "commit, indexes, checks)"))


def main(argv):
    if len(argv) > 4 and argv[1] == "run" and argv[4] == "--":
        return run(argv[2], argv[3], argv[5:])
    if len(argv) in (5, 6) and argv[1] == "windows":
        windows(argv[2], float(argv[3]), int(argv[4]),
                float(argv[5]) if len(argv) == 6 else 10.0)
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
