#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Concurrent saves against myoreg serve (bench/web/run.sh, issue 10 item 8).

usage: saves.py URL USER PASSWORD SITE CLIENTS

CLIENTS clients, each with its own session, released together by a barrier:

1. the update route: is there one (PUT or PATCH /api/v1/patients/{id})
   that could refuse a stale form?  405/404 for both: there is none, and
   the lost-update check of an edit cannot be made (reported, not faked);
2. the same new patient from every client at once: exactly one 201, every
   other 409, and the stored patient is the winner's (no later create
   silently overwrote it);
3. a different new patient from every client at once: every one 201 and
   every one stored (no write lost to a busy database).

Prints `SAVES key=value` lines; exits 1 when a write was lost or wrong.
"""
import http.client
import json
import re
import sys
import threading
import time
import urllib.parse


class Client:
    def __init__(self, url, user, password):
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port
        self.cookie = None
        self.csrf = None
        status, _, headers = self.call(
            "POST", "/api/v1/login", {"user": user, "password": password})
        if status != 200:
            sys.exit(f"saves.py: sign-in as {user}: HTTP {status}")
        for k, v in headers:
            if k.lower() == "set-cookie" and v.startswith("myoreg_session="):
                self.cookie = v.split(";", 1)[0]
        status, body, _ = self.call("GET", "/api/v1/session")
        if status != 200 or self.cookie is None:
            sys.exit(f"saves.py: no session after signing in: HTTP {status}")
        self.csrf = json.loads(body)["csrf"]

    def call(self, method, path, doc=None):
        c = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.csrf and method not in ("GET", "HEAD"):
            headers["X-CSRF-Token"] = self.csrf
        data = None
        if doc is not None:
            data = json.dumps(doc).encode()
            headers["Content-Type"] = "application/json"
        c.request(method, path, body=data, headers=headers)
        r = c.getresponse()
        body = r.read()
        c.close()
        return r.status, body, r.getheaders()


def at_once(clients, work):
    """work(i, client) from every client, released together."""
    barrier = threading.Barrier(len(clients))
    results = [None] * len(clients)

    def run(i):
        barrier.wait()
        t0 = time.monotonic()
        results[i] = (work(i, clients[i]), time.monotonic() - t0)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def main():
    url, user, password, site, n = sys.argv[1:6]
    n = int(n)
    clients = [Client(url, user, password) for _ in range(n)]
    # unique per run: study ids must be unique in the registry, and earlier
    # runs' patients stay in it
    tag = f"{int(time.time() * 1000)}"
    failed = False

    # 1. an update route?
    probe = {}
    for method in ("PUT", "PATCH"):
        status, _, _ = clients[0].call(method, "/api/v1/patients/bench-none", {})
        probe[method] = status
    if all(s in (404, 405) for s in probe.values()):
        print("SAVES patient_put_patch=none "
              f"put={probe['PUT']} patch={probe['PATCH']} "
              "(a patient is corrected by POST .../record: patient_stale_form)")
    else:
        print("SAVES patient_update_route=present "
              f"put={probe['PUT']} patch={probe['PATCH']} "
              "patient_stale_form_check=not-measured-by-this-script")

    # 1b. the stale-form check where there is one: a visit correction
    # carries the version it was made on (docs/web.md).  Every client read
    # version v; all correct it at once: one 200, the rest 409, the stored
    # visit the winner's.
    vpid = f"bench-vis-{tag}"
    status, body, _ = clients[0].call("POST", "/api/v1/patients", {
        "id": vpid, "site": site, "sex": "female"})
    if status == 201:
        status, body, _ = clients[0].call(
            "POST", f"/api/v1/patients/{vpid}/visits",
            {"id": f"{vpid}-v1", "date": "2020-01-10", "kind": "scheduled"})
    if status != 201 or "version" not in json.loads(body):
        print(f"SAVES visit_correction=unavailable status={status} "
              f"body={body.decode(errors='replace')[:200]!r}")
    else:
        version = json.loads(body)["version"]

        def correct(i, c):
            st, b, _ = c.call("POST", f"/api/v1/patients/{vpid}/visits", {
                "id": f"{vpid}-v1", "version": version,
                "date": "2020-01-10", "kind": "scheduled",
                "assessor": f"client-{i:02d}",
                "reason": f"bench: client {i} corrects"})
            if st not in (200, 409):
                print(f"SAVES visit_correction_unexpected client={i} status={st} "
                      f"body={b.decode(errors='replace')[:200]!r}")
            return st, b

        res = at_once(clients, correct)
        won = [i for i, ((st, _), _) in enumerate(res) if st == 200]
        refused = [b for (st, b), _ in res if st == 409]
        clear = all(b"changed by someone else" in b for b in refused)
        st, b, _ = clients[0].call("GET", f"/api/v1/patients/{vpid}")
        visits = json.loads(b).get("visits", []) if st == 200 else []
        stored = [v.get("assessor") for v in visits if v.get("id") == f"{vpid}-v1"]
        ok = (len(won) == 1 and len(refused) == n - 1 and clear
              and stored == [f"client-{won[0]:02d}"])
        failed |= not ok
        print(f"SAVES stale_form clients={n} saved={len(won)} refused409={len(refused)} "
              f"clear_message={'yes' if clear else 'NO'} stored={stored} "
              f"lost_updates={n - 1 - len(refused) if len(won) == 1 else 'NO'} "
              f"ok={'yes' if ok else 'NO'} max_s={max(t for _, t in res):.3f}")

    # 1c. the same for a patient's own record: its correction (POST
    # /api/v1/patients/{id}/record, docs/web.md) carries the version shown
    # in the correction form (/patients/{id}/record/new).
    ppid = f"bench-pat-{tag}"
    status, _, _ = clients[0].call("POST", "/api/v1/patients", {
        "id": ppid, "site": site, "sex": "female"})
    pversion = None
    if status == 201:
        status, body, _ = clients[0].call("GET", f"/patients/{ppid}/record/new")
        m = re.search(rb'<input[^>]*name="version"[^>]*value="([0-9]+)"', body)
        pversion = int(m.group(1)) if status == 200 and m else None
    if pversion is None:
        print(f"SAVES patient_correction=unavailable status={status}")
    else:
        def correct_patient(i, c):
            st, b, _ = c.call("POST", f"/api/v1/patients/{ppid}/record", {
                "id": ppid, "version": pversion, "site": site,
                "sex": "female", "comment": f"client-{i:02d}",
                "reason": f"bench: client {i} corrects"})
            if st not in (200, 409):
                print(f"SAVES patient_correction_unexpected client={i} "
                      f"status={st} body={b.decode(errors='replace')[:200]!r}")
            return st, b

        res = at_once(clients, correct_patient)
        won = [i for i, ((st, _), _) in enumerate(res) if st == 200]
        refused = [b for (st, b), _ in res if st == 409]
        clear = all(b"changed by someone else" in b for b in refused)
        st, b, _ = clients[0].call("GET", f"/api/v1/patients/{ppid}")
        stored = [json.loads(b)["patient"].get("comment")] if st == 200 else []
        ok = (len(won) == 1 and len(refused) == n - 1 and clear
              and stored == [f"client-{won[0]:02d}"])
        failed |= not ok
        print(f"SAVES patient_stale_form clients={n} saved={len(won)} "
              f"refused409={len(refused)} clear_message={'yes' if clear else 'NO'} "
              f"stored={stored} "
              f"lost_updates={n - 1 - len(refused) if len(won) == 1 else 'NO'} "
              f"ok={'yes' if ok else 'NO'} max_s={max(t for _, t in res):.3f}")

    # 2. one patient, n creators
    pid = f"bench-race-{tag}"

    def create_same(i, c):
        status, body, _ = c.call("POST", "/api/v1/patients", {
            "id": pid, "site": site, "sex": "female",
            "study_id": f"RACE-{tag}-{i:02d}"})
        if status not in (201, 409):
            print(f"SAVES same_patient_unexpected client={i} status={status} "
                  f"body={body.decode(errors='replace')!r}")
        return status

    res = at_once(clients, create_same)
    statuses = [s for s, _ in res]
    won = [i for i, s in enumerate(statuses) if s == 201]
    lost = [s for s in statuses if s != 201]
    status, body, _ = clients[0].call("GET", f"/api/v1/patients/{pid}")
    stored = json.loads(body)["patient"]["study_id"] if status == 200 else None
    ok = (len(won) == 1 and all(s == 409 for s in lost)
          and stored == f"RACE-{tag}-{won[0]:02d}")
    failed |= not ok
    print(f"SAVES same_patient clients={n} created={len(won)} "
          f"conflict409={sum(1 for s in lost if s == 409)} "
          f"other={sorted(s for s in lost if s != 409)} "
          f"stored_is_winner={'yes' if ok else 'NO'} "
          f"stored={stored} winner={','.join(f'RACE-{tag}-{i:02d}' for i in won)} "
          f"max_s={max(t for _, t in res):.3f}")

    # 3. n patients, one each
    def create_own(i, c):
        return c.call("POST", "/api/v1/patients", {
            "id": f"bench-own-{tag}-{i:02d}", "site": site, "sex": "male",
            "study_id": f"OWN-{tag}-{i:02d}"})[0]

    res = at_once(clients, create_own)
    created = sum(1 for s, _ in res if s == 201)
    present = sum(1 for i in range(n) if clients[0].call(
        "GET", f"/api/v1/patients/bench-own-{tag}-{i:02d}")[0] == 200)
    ok = created == n and present == n
    failed |= not ok
    print(f"SAVES distinct_patients clients={n} created={created} "
          f"stored={present} statuses={sorted(set(s for s, _ in res))} "
          f"lost={n - present} max_s={max(t for _, t in res):.3f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
