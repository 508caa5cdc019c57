"""Settlement load against the real server, then pgbench's TPC-B-like run on the same PostgreSQL as the ceiling.

    DATABASE_URL=… python bench/load.py --url http://127.0.0.1:8765 --clients 16 --seconds 30

Threads + http.client (one keep-alive connection per client thread), no extra packages. Patients are members
of active bindings from the generated data (residents without an own account, see bench/generate.py), so
settlements draw on a shared account or a quota; the run prints the share that did, read back from the database.

Per run: settlements/s, p50/p95/p99, CPU ms per settlement of the web processes (gunicorn master and workers)
and of the database (the postmaster, its live children and its reaped children), from /proc/<pid>/stat;
statements per settlement (counted by bench/gunicorn_count.py in the workers) and commits per settlement
(pg_stat_database); then GET /healthz with the same clients against the same server for the same time, and
the ratio; pgbench as a reference line; last, one JSON line with the headline figures.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import threading
import time
import urllib.parse

import psycopg


def patients(url: str, n: int) -> list[str]:
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cur.execute("""SELECT p.certno FROM sharing_binding b JOIN registry_insuredperson p ON p.id = b.member_id
                       WHERE b.status = 'active' ORDER BY random() LIMIT %s""", [n])
        return [row[0] for row in cur.fetchall()]


TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                found += [int(c) for c in fh.read().split()]
        except OSError:
            pass
    return found


def cpu_seconds(root: int) -> dict[int, float]:
    """CPU seconds (user + system) of `root` including its reaped children, and of each live child."""
    out = {}
    fields = _stat(root)
    if fields:  # after ")": state is [0]; utime, stime, cutime, cstime are [11:15]
        out[root] = sum(int(v) for v in fields[11:15]) / TICK
    for child in _children(root):
        fields = _stat(child)
        if fields:
            out[child] = (int(fields[11]) + int(fields[12])) / TICK
    return out


def cpu_delta(before: dict[int, float], after: dict[int, float]) -> float:
    """Processes that appeared count from zero; those that ended are in the parent's reaped-children time."""
    return sum(value - before.get(pid, 0.0) for pid, value in after.items())


def postmaster_pid(url: str) -> int:
    with psycopg.connect(url) as conn:
        backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    return int(_stat(backend)[1])


def commits(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()").fetchone()[0]


def statement_counts(folder: str = "var/bench_stmts") -> tuple[int, int]:
    requests = statements = 0
    for name in os.listdir(folder) if os.path.isdir(folder) else []:
        with open(os.path.join(folder, name)) as fh:
            r, s = fh.read().split()
        requests, statements = requests + int(r), statements + int(s)
    return requests, statements


def shares(url: str, run_id: str) -> dict:
    """Of this run's settlements: the share that drew on at least one shared account, and on a quota."""
    with psycopg.connect(url) as conn:
        total, shared, quota = conn.execute("""
            SELECT count(*), count(*) FILTER (WHERE s.acct_mulaid_pay > 0),
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM settlement_payment p
                                                  WHERE p.settlement_id = s.id AND p.source = 'quota'))
            FROM settlement_settlement s WHERE s.request_id LIKE %s""", [f"b{run_id}-%"]).fetchone()
    return {"settlements_in_db": total, "shared_share": round(shared / total, 3) if total else 0.0,
            "quota_share": round(quota / total, 3) if total else 0.0}


def run_healthz(base: str, clients: int, seconds: float) -> float:
    """GET /healthz per second with the same clients (keep-alive) against the same server."""
    target = urllib.parse.urlsplit(base)
    counts, lock = [], threading.Lock()
    stop = time.perf_counter() + seconds

    def client():
        conn = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)
        ok = 0
        while time.perf_counter() < stop:
            try:
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                response.read()
                ok += response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)
        with lock:
            counts.append(ok)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - t0)


def run_clients(base: str, key: str, certnos: list[str], clients: int, seconds: float, run_id: str) -> dict:
    target = urllib.parse.urlsplit(base)
    latencies, statuses, lock = [], {}, threading.Lock()
    stop = time.perf_counter() + seconds

    def client(n: int):
        rng = random.Random(n)
        conn = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)
        mine, codes, k = [], {}, 0
        while time.perf_counter() < stop:
            k += 1
            body = json.dumps({"request_id": f"b{run_id}-{n}-{k}", "mdtrt_cert_type": "02",
                               "mdtrt_cert_no": rng.choice(certnos), "amount": f"{rng.randint(100, 20000) / 100:.2f}",
                               "category": rng.choice(["outpatient", "pharmacy"])})
            start = time.perf_counter()
            try:
                conn.request("POST", "/api/v1/settlements", body=body, headers={
                    "Authorization": f"Bearer {key}", "Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)
                status = "error"
            mine.append(time.perf_counter() - start)
            codes[status] = codes.get(status, 0) + 1
        with lock:
            latencies.extend(mine)
            for code, count in codes.items():
                statuses[code] = statuses.get(code, 0) + count

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - t0
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
    ok = statuses.get(201, 0)
    return {"requests": len(latencies), "created_201": ok, "statuses": statuses, "seconds": round(elapsed, 1),
            "settlements_per_s": round(ok / elapsed, 1), "p50_ms": round(q[49] * 1000, 1),
            "p95_ms": round(q[94] * 1000, 1), "p99_ms": round(q[98] * 1000, 1)}


def pgbench(url: str, clients: int, seconds: int) -> float:
    """TPC-B-like tps in a scratch database `pgbench_ceiling` on the same server."""
    exe = shutil.which("pgbench")
    if not exe:
        raise SystemExit("pgbench not found (apt-get install postgresql-client)")
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qs(parts.query)
    host = query.get("host", [parts.hostname or "127.0.0.1"])[0]
    env = dict(os.environ, PGHOST=host, PGUSER=parts.username or "postgres", PGPASSWORD=parts.password or "")
    if parts.port:
        env["PGPORT"] = str(parts.port)
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'pgbench_ceiling'").fetchone():
            conn.execute("CREATE DATABASE pgbench_ceiling")
    subprocess.run([exe, "-i", "-q", "-s", "10", "pgbench_ceiling"], env=env, check=True, capture_output=True)
    out = subprocess.run([exe, "-c", str(clients), "-j", "2", "-T", str(seconds), "pgbench_ceiling"], env=env,
                         check=True, capture_output=True, text=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("tps"))
    return float(line.split("=")[1].split()[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8765")
    parser.add_argument("--key-file", default="var/bench_key")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--gunicorn-pid", default="var/bench_gunicorn.pid", help="file with gunicorn's master pid")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    key = open(args.key_file).read().strip()
    certnos = patients(url, args.patients)
    if not certnos:
        raise SystemExit("no active bindings: run bench/generate.py first")
    run_id = f"{int(time.time())}"
    web_pid = int(open(args.gunicorn_pid).read().strip())
    db_pid = postmaster_pid(url)
    requests0, statements0 = statement_counts()
    web0, db0, commits0 = cpu_seconds(web_pid), cpu_seconds(db_pid), commits(url)
    result = run_clients(args.url, key, certnos, args.clients, args.seconds, run_id)
    web1, db1, commits1 = cpu_seconds(web_pid), cpu_seconds(db_pid), commits(url)
    requests1, statements1 = statement_counts()
    ok = max(result["created_201"], 1)
    result["cpu_ms_web"] = round(cpu_delta(web0, web1) * 1000 / ok, 2)
    result["cpu_ms_db"] = round(cpu_delta(db0, db1) * 1000 / ok, 2)
    result["statements_per_settlement"] = round((statements1 - statements0) / max(requests1 - requests0, 1), 1)
    result["commits_per_settlement"] = round((commits1 - commits0) / max(result["requests"], 1), 2)
    result.update(shares(url, run_id))
    healthz = run_healthz(args.url, args.clients, args.seconds)
    result["healthz_per_s"] = round(healthz, 1)
    result["ratio_to_healthz"] = round(result["settlements_per_s"] / healthz, 4) if healthz else 0.0
    for name, value in result.items():
        print(f"{name:>26}: {value}")
    tps = pgbench(url, args.clients, int(args.seconds))
    print(f"{'pgbench_tps':>26}: {tps:.1f}  (reference only: bound by the WAL flush)")
    print(f"{'ratio_to_pgbench':>26}: {result['settlements_per_s'] / tps:.3f}")
    print(json.dumps({key: result[key] for key in (
        "settlements_per_s", "healthz_per_s", "ratio_to_healthz", "shared_share", "cpu_ms_web", "cpu_ms_db",
        "p99_ms")} | {"pages": {}}))


if __name__ == "__main__":
    main()
