"""Settlement load against the real server, then pgbench's TPC-B-like run on the same PostgreSQL as the ceiling.

    DATABASE_URL=… python bench/load.py --url http://127.0.0.1:8765 --clients 16 --seconds 30

Threads + http.client (one keep-alive connection per client thread), no extra packages. Patients are members
of active bindings from the generated data, so most settlements draw on a shared account (the expensive
path: locks on two accounts, two ledger entries, payments, audit, notification). Prints settlements/s and
latency percentiles, then pgbench tps and the ratio.
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


def run_clients(base: str, key: str, certnos: list[str], clients: int, seconds: float) -> dict:
    target = urllib.parse.urlsplit(base)
    latencies, statuses, lock = [], {}, threading.Lock()
    stop = time.perf_counter() + seconds
    run_id = f"{int(time.time())}"

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
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    key = open(args.key_file).read().strip()
    certnos = patients(url, args.patients)
    if not certnos:
        raise SystemExit("no active bindings: run bench/generate.py first")
    result = run_clients(args.url, key, certnos, args.clients, args.seconds)
    for name, value in result.items():
        print(f"{name:>18}: {value}")
    tps = pgbench(url, args.clients, int(args.seconds))
    print(f"{'pgbench_tps':>18}: {tps:.1f}")
    print(f"{'ratio':>18}: {result['settlements_per_s'] / tps:.3f}  (settlements/s ÷ pgbench TPC-B tps)")


if __name__ == "__main__":
    main()
