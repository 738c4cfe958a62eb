#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Where the bytes of a SQLite registry go: each table with its indexes.

    dbsize.py REGISTRY.db

Reads SQLite's dbstat virtual table (compiled into Debian's Python
sqlite3) and prints, for every table, its rows, the bytes of its own
b-tree and of each of its indexes, its share of the file and its bytes a
row; the FTS5 shadow tables (NAME_data, NAME_idx, ...) count as the full-
text index of NAME.  Tables under 0.1 % of the file are summed on one
line.  Read-only; walks every page, so it takes a while on a big file.
"""
import os
import sqlite3
import sys

MB = 1e6


def main(path):
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    page = db.execute("PRAGMA page_size").fetchone()[0]
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    free = db.execute("PRAGMA freelist_count").fetchone()[0]
    try:
        used = dict(db.execute(
            "SELECT name, pgsize FROM dbstat WHERE aggregate = TRUE"))
    except sqlite3.Error as e:
        print("dbsize.py: no dbstat in this SQLite (%s); the Debian package "
              "sqlite3-tools has sqlite3_analyzer, which says the same" % e)
        return 0
    schema = list(db.execute("SELECT type, name, tbl_name, sql FROM "
                             "sqlite_schema"))
    virtual = [n for t, n, _, sql in schema
               if t == "table" and (sql or "").upper().startswith(
                   "CREATE VIRTUAL TABLE")]

    def owner(kind, name, table):
        """The table a b-tree belongs to, and what it is for it."""
        for v in virtual:
            if name.startswith(v + "_"):
                return v, "full-text index (%s)" % name
        if kind == "table":
            return table, "table"
        cols = [r[2] for r in db.execute('PRAGMA index_info("%s")' %
                                         name.replace('"', '""'))]
        return table, "%s (%s)" % (name, ", ".join(c or "expr" for c in cols))

    tables = {}
    for kind, name, table, _ in schema:
        if name in used:
            t, part = owner(kind, name, table)
            tables.setdefault(t, []).append((part, used.pop(name)))
    for name, size in used.items():  # sqlite_schema itself
        tables.setdefault(name, []).append(("table", size))
    total = page * pages
    rows = {}
    for t in tables:
        if t not in virtual and not t.startswith("sqlite_"):
            rows[t] = db.execute('SELECT count(*) FROM "%s"' %
                                 t.replace('"', '""')).fetchone()[0]

    print("%-44s %12s %10s %7s %9s" % ("table / its b-trees", "rows", "MB",
                                       "share", "B/row"))
    small = [0, 0]
    for t, parts in sorted(tables.items(), key=lambda kv: -sum(
            s for _, s in kv[1])):
        size = sum(s for _, s in parts)
        if size < total / 1000:
            small[0] += 1
            small[1] += size
            continue
        n = rows.get(t)
        print("%-44s %12s %10.1f %6.1f%% %9s" % (
            t, "" if n is None else n, size / MB, 100 * size / total,
            "%.0f" % (size / n) if n else ""))
        for part, s in sorted(parts, key=lambda p: -p[1]):
            print("  %-42s %12s %10.1f %6.1f%%" % (part, "", s / MB,
                                                   100 * s / total))
    print("%-44s %12s %10.1f %6.1f%%" % (
        "(%d smaller tables with their indexes)" % small[0], "",
        small[1] / MB, 100 * small[1] / total))
    print("%-44s %12s %10.1f %6.1f%%" % ("(free pages)", "", free * page / MB,
                                         100 * free * page / total))
    wal = path + "-wal"
    print("file: %.1f MB (%d pages of %d bytes)%s" % (
        total / MB, pages, page,
        "; WAL %.1f MB" % (os.path.getsize(wal) / MB)
        if os.path.exists(wal) and os.path.getsize(wal) else ""))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
