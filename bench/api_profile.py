"""CPU per refund and per patient enquiry of the JSON API, side by side with another revision, in one run.

    .venv/bin/python bench/api_profile.py [--baseline REV] [--rounds 3] [--requests 200]

Creates a scratch database `gjt_api` on the embedded server (or $BENCH_ADMIN_URL), migrates it and loads the demo data
(the demo institution and its key, 张伟 sharing with his child 张小雨 and his mother). Then, per round and per code tree
(this checkout, and with --baseline an exported copy of REV under /tmp; rounds interleave the trees), a fresh process
calls the API through Django's test client (DEBUG off, in-process: no HTTP server) with the demo API key and reads
its own CPU time (time.process_time) and the CPU time of its PostgreSQL backend (/proc/<pid>/stat):

- enquiry: GET /api/v1/patients/<张小雨> (a member with two sharing authorizers);
- partial refund: in batches of 50, settlements of ¥30.00 for 张小雨 are made first (not timed), then each is
  refunded ¥12.00 (timed: a re-settlement), then the rest, ¥18.00 (timed: a full refund of what is left). `lines`
  says how many accounts each paid back (张小雨 is resident-insured: no own account; the demo's bindings decide
  who paid).

Each figure is CPU ms per request (Python + database backend), with the statements the request ran. Medians of the
rounds. Nothing here is a test; the box is shared, so compare figures of the same run only.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages_profile import admin_url, cpu_of, export  # noqa: E402

HERE = Path(__file__).resolve().parent.parent
DB = "gjt_api"
BATCH = 50
KINDS = ["enquiry", "partial refund", "full refund"]


def db_url(admin: str) -> str:
    return admin.replace("/postgres?", f"/{DB}?", 1)


def base_env(url: str) -> dict:
    return dict(os.environ, DATABASE_URL=url, DJANGO_SECRET_KEY="bench-api-only-0123456789abcdefghijklmnopqrs",
                DJANGO_HTTPS="0", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1",
                DJANGO_SETTINGS_MODULE="portal.settings", DJANGO_DB_STATEMENT_TIMEOUT_MS="0",
                API_ENQUIRIES_PER_MINUTE="1000000000")


def setup(admin: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")
    env = base_env(db_url(admin))
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=HERE, env=env, check=True)
    subprocess.run([sys.executable, __file__, "--load"], cwd=HERE, env=env, check=True)


def load() -> None:
    sys.path.insert(0, str(HERE))
    import django

    django.setup()
    from django.db import connection

    from demo import data as demo

    demo.load()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(requests: int, tag: str) -> dict:
    """In the tree given by cwd: CPU ms per enquiry, partial refund and full refund (this process; its backend)."""
    sys.path.insert(0, str(Path.cwd()))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from demo import data as demo
    from settlement.keys import demo_api_key

    client = Client(HTTP_AUTHORIZATION=f"Bearer {demo_api_key()}")
    patient = demo.certno("child")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    totals = {kind: {"py": 0.0, "db": 0.0, "n": 0, "statements": 0} for kind in KINDS}
    serial = [0]

    def call(kind, method, path, body=None, expect=200, counted=False):
        statements = []

        def count(execute, sql, *args):
            statements.append(sql)
            return execute(sql, *args)

        py0, db0 = time.process_time(), cpu_of(backend)
        if counted:
            with connection.execute_wrapper(count):
                response = getattr(client, method)(path, data=json.dumps(body) if body else None,
                                                   content_type="application/json")
        else:
            response = getattr(client, method)(path, data=json.dumps(body) if body else None,
                                               content_type="application/json")
        py1, db1 = time.process_time(), cpu_of(backend)
        assert response.status_code == expect, (kind, response.status_code, response.content[:300])
        if kind:
            totals[kind]["py"] += py1 - py0
            totals[kind]["db"] += db1 - db0
            totals[kind]["n"] += 1
            if counted:
                totals[kind]["statements"] = len(statements)
                totals[kind]["lines"] = len(response.json().get("payers", response.json().get("authorizers", [])))
        return response.json()

    def settle():
        serial[0] += 1
        return call(None, "post", "/api/v1/settlements", {
            "request_id": f"bench-{tag}-{serial[0]}", "mdtrt_cert_type": "02", "mdtrt_cert_no": patient,
            "amount": "30.00", "category": "pharmacy"}, expect=201)["settlement_id"]

    # Warm-up (imports, the key cache, prepared statements), then the statements of one of each, then the timing.
    for counted in (False, False, True):
        call("enquiry", "get", f"/api/v1/patients/{patient}", counted=counted)
        sid = settle()
        call("partial refund", "post", f"/api/v1/settlements/{sid}/refunds",
             {"request_id": f"p-{tag}-{sid}", "amount": "12.00"}, expect=201, counted=counted)
        call("full refund", "post", f"/api/v1/settlements/{sid}/refunds",
             {"request_id": f"f-{tag}-{sid}", "amount": "18.00"}, expect=201, counted=counted)
    statements = {kind: (totals[kind]["statements"], totals[kind]["lines"]) for kind in KINDS}
    for kind in KINDS:
        totals[kind].update(py=0.0, db=0.0, n=0)
    for _ in range(requests):
        call("enquiry", "get", f"/api/v1/patients/{patient}")
    done = 0
    while done < requests:
        sids = [settle() for _ in range(min(BATCH, requests - done))]
        for sid in sids:
            call("partial refund", "post", f"/api/v1/settlements/{sid}/refunds",
                 {"request_id": f"p-{tag}-{sid}", "amount": "12.00"}, expect=201)
        for sid in sids:
            call("full refund", "post", f"/api/v1/settlements/{sid}/refunds",
                 {"request_id": f"f-{tag}-{sid}", "amount": "18.00"}, expect=201)
        done += len(sids)
    return {kind: {"py_ms": totals[kind]["py"] * 1000 / totals[kind]["n"],
                   "db_ms": totals[kind]["db"] * 1000 / totals[kind]["n"], "statements": statements[kind][0],
                   "lines": statements[kind][1]}
            for kind in KINDS}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", help="a git revision measured side by side (exported to /tmp)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--no-setup", action="store_true", help="reuse the gjt_api database of a previous run")
    parser.add_argument("--load", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        return load()
    if args.measure:
        print(json.dumps(measure(args.requests, args.measure)))
        return
    admin = admin_url()
    if not args.no_setup:
        setup(admin)
    env = base_env(db_url(admin))
    trees = {"this checkout": HERE}
    if args.baseline:
        trees = {f"baseline {args.baseline}": export(args.baseline), **trees}
    runs = {name: [] for name in trees}
    stamp = int(time.time())
    for n in range(args.rounds):
        for i, (name, tree) in enumerate(trees.items()):
            out = subprocess.run([sys.executable, str(HERE / "bench" / "api_profile.py"), "--measure",
                                  f"{stamp}-{n}-{i}", "--requests", str(args.requests)], cwd=tree, env=env,
                                 check=True, capture_output=True, text=True).stdout
            runs[name].append(json.loads(out.strip().splitlines()[-1]))
            print(f"round {n + 1} {name}: " + ", ".join(
                f"{kind} {r['py_ms'] + r['db_ms']:.2f} ms" for kind, r in runs[name][-1].items()), flush=True)
    report(runs)


def report(runs: dict) -> None:
    summary = {}
    print(f"{'request':<15}" + "".join(f" | {name[:22]:>22}: cpu ms (py, db) [min-max] stmts lines" for name in runs))
    for kind in KINDS:
        line = f"{kind:<15}"
        for name in runs:
            cpu = [run[kind]["py_ms"] + run[kind]["db_ms"] for run in runs[name]]
            py = statistics.median(run[kind]["py_ms"] for run in runs[name])
            db = statistics.median(run[kind]["db_ms"] for run in runs[name])
            statements, lines = runs[name][0][kind]["statements"], runs[name][0][kind]["lines"]
            line += (f" | {statistics.median(cpu):8.2f} ({py:5.2f}, {db:4.2f}) [{min(cpu):5.2f}-{max(cpu):5.2f}]"
                     f" {statements:3d} {lines:3d}")
            summary.setdefault(name, {})[kind] = {"cpu_ms": round(statistics.median(cpu), 2), "py_ms": round(py, 2),
                                                  "db_ms": round(db, 2), "statements": statements, "lines": lines}
        print(line)
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
