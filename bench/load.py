"""Settlement load against the real server, then pgbench's TPC-B-like run on the same PostgreSQL as the ceiling.

    DATABASE_URL=… python bench/load.py --url http://127.0.0.1:8765 --clients 16 --seconds 30

Threads, one keep-alive connection per client thread (bench/drive.py), no extra packages. Patients are members
of active bindings from the generated data (residents without an own account, see bench/generate.py), so
settlements draw on a shared account or a quota; the run prints the share that did, read back from the database.

Per run: settlements/s, p50/p95/p99, CPU ms per settlement of the web processes (gunicorn master and workers)
and of the database (the postmaster, its live children and its reaped children), from /proc/<pid>/stat;
statements per settlement (counted by bench/gunicorn_count.py in the workers) and commits per settlement
(pg_stat_database); then GET /healthz with the same clients against the same server for the same time, and
the ratio; pgbench as a reference line; last, one JSON line with the headline figures.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse

import psycopg

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench import pages, procs  # noqa: E402
from bench.drive import drive, percentiles  # noqa: E402
from bench.gunicorn_count import FLUSH  # noqa: E402


def patients(url: str, n: int) -> list[str]:
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cur.execute("""SELECT p.certno FROM sharing_binding b JOIN registry_insuredperson p ON p.id = b.member_id
                       WHERE b.status = 'active' ORDER BY random() LIMIT %s""", [n])
        return [row[0] for row in cur.fetchall()]


def postmaster_pid(url: str) -> int:
    with psycopg.connect(url) as conn:  # read while the backend is alive: it exits with the connection
        backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        return procs.parent_pid(backend)


def commits(url: str) -> tuple[int, int]:
    """(commits of this database, WAL position in bytes) — the WAL is the whole server's."""
    with psycopg.connect(url) as conn:
        return conn.execute("""SELECT xact_commit, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint
                               FROM pg_stat_database WHERE datname = current_database()""").fetchone()


def statement_totals(folders: list[str]) -> dict[str, list[int]]:
    """path -> [requests, statements], summed over the workers' files (bench/gunicorn_count.py)."""
    totals = {}
    for folder in folders:
        for name in os.listdir(folder) if os.path.isdir(folder) else []:
            if name.endswith(".tmp"):
                continue
            try:
                with open(os.path.join(folder, name)) as fh:
                    per_path = json.load(fh)
            except (OSError, ValueError):  # cannot happen with the rename, but never count a half file
                continue
            for path, (r, n) in per_path.items():
                total = totals.setdefault(path, [0, 0])
                total[0], total[1] = total[0] + r, total[1] + n
    return totals


def statements_per_request(before: dict, after: dict, path: str) -> float:
    r0, s0 = before.get(path, [0, 0])
    r1, s1 = after.get(path, [0, 0])
    return round((s1 - s0) / max(r1 - r0, 1), 1)


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


def run_healthz(bases: list[str], clients: int, seconds: float) -> float:
    """GET /healthz per second with the same clients (keep-alive) against the same servers."""
    run = drive(bases, clients, seconds, lambda n, k: ("GET", "/healthz", None, {}))
    return run["statuses"].get(200, 0) / run["elapsed"]


def run_clients(bases: list[str], key: str, certnos: list[str], clients: int, seconds: float, run_id: str) -> dict:
    rngs = [random.Random(n) for n in range(clients)]
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    def settlement(n: int, k: int):
        rng = rngs[n]
        body = json.dumps({"request_id": f"b{run_id}-{n}-{k}", "mdtrt_cert_type": "02",
                           "mdtrt_cert_no": rng.choice(certnos), "amount": f"{rng.randint(100, 20000) / 100:.2f}",
                           "category": rng.choice(["outpatient", "pharmacy"])})
        return "POST", "/api/v1/settlements", body, headers

    run = drive(bases, clients, seconds, settlement)
    latencies, statuses, elapsed = run["latencies"], run["statuses"], run["elapsed"]
    q = percentiles(latencies)
    ok = statuses.get(201, 0)
    return {"requests": len(latencies), "created_201": ok, "statuses": statuses, "seconds": round(elapsed, 1),
            "settlements_per_s": round(ok / elapsed, 1), "p50_ms": round(q[49] * 1000, 1),
            "p95_ms": round(q[94] * 1000, 1), "p99_ms": round(q[98] * 1000, 1),
            "client_cpu_ms": round(run["client_cpu_s"] * 1000 / max(len(latencies), 1), 3)}


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


HEADLINE = ("settlements_per_s", "healthz_per_s", "ratio_to_healthz", "shared_share", "cpu_ms_web", "cpu_ms_db",
            "p99_ms")


class Target:
    """One system under test: its servers (URLs and gunicorn master pids), database, key and citizens."""

    def __init__(self, name, urls, pid_files, stmts_dirs, db_url, key_file, citizens_file, pooler_pid_file=None,
                 tasks_pid_file=None):
        self.name, self.urls, self.db_url, self.stmts_dirs = name, urls, db_url, stmts_dirs
        self.web_pids = [int(open(f).read().strip()) for f in pid_files]
        self.key = open(key_file).read().strip()
        self.citizens = json.load(open(citizens_file)) if citizens_file and os.path.exists(citizens_file) else {}
        self.pooler_pid = int(open(pooler_pid_file).read().strip()) if pooler_pid_file else None
        self.tasks_pid = int(open(tasks_pid_file).read().strip()) if tasks_pid_file else None
        self.db_pid = postmaster_pid(db_url)
        self.cookies = {}

    def snapshot(self) -> dict:
        time.sleep(3 * FLUSH)  # the workers write their statement counts every FLUSH seconds (idle: no CPU counted)
        return {"web": procs.cpu_many(self.web_pids), "db": procs.cpu_seconds(self.db_pid),
                "pooler": procs.cpu_seconds(self.pooler_pid) if self.pooler_pid else {},
                "stmts": statement_totals(self.stmts_dirs)}

    def cpu_ms(self, before: dict, after: dict, n: int) -> dict:
        out = {f"cpu_ms_{k}": round(procs.cpu_delta(before[k], after[k]) * 1000 / max(n, 1), 2)
               for k in ("web", "db")}
        if self.pooler_pid:
            out["cpu_ms_pooler"] = round(procs.cpu_delta(before["pooler"], after["pooler"]) * 1000 / max(n, 1), 2)
        return out

    def login(self) -> None:
        for label, cred in self.citizens.items():
            self.cookies[label] = [pages.login(url, cred["username"], cred["password"]) for url in self.urls]


def measure(target: Target, args, run_id: str) -> dict:
    certnos = patients(target.db_url, args.patients)
    if not certnos:
        raise SystemExit("no active bindings: run bench/generate.py first")
    before, commits0 = target.snapshot(), commits(target.db_url)
    result = run_clients(target.urls, target.key, certnos, args.clients, args.seconds, run_id)
    after, commits1 = target.snapshot(), commits(target.db_url)
    result.update(target.cpu_ms(before, after, result["created_201"]))
    result["statements_per_settlement"] = statements_per_request(before["stmts"], after["stmts"], "/api/v1/settlements")
    result["commits_per_settlement"] = round((commits1[0] - commits0[0]) / max(result["requests"], 1), 2)
    result["wal_kb_per_settlement"] = round((commits1[1] - commits0[1]) / 1024 / max(result["created_201"], 1), 2)
    result.update(shares(target.db_url, run_id))
    healthz = run_healthz(target.urls, args.clients, args.seconds)
    result["healthz_per_s"] = round(healthz, 1)
    result["ratio_to_healthz"] = round(result["settlements_per_s"] / healthz, 4) if healthz else 0.0
    result["pages"] = {}
    if target.citizens and args.page_seconds > 0:
        if not target.cookies:
            target.login()
        for label, path, citizen in pages.PAGES:
            before = target.snapshot()
            page = pages.run_page(target.urls, path, target.cookies[citizen], args.clients, args.page_seconds)
            after = target.snapshot()
            page.update(target.cpu_ms(before, after, page["ok_200"]))
            page["statements"] = statements_per_request(before["stmts"], after["stmts"], path)
            page["ratio_to_healthz"] = round(page["per_s"] / healthz, 4) if healthz else 0.0
            result["pages"][label] = page
        light, heavy = result["pages"]["/money/spending/"], result["pages"]["spending(heavy)"]
        result["spending_heavy_to_light"] = round(light["per_s"] / heavy["per_s"], 2) if heavy["per_s"] else None
    rss = procs.worker_rss(target.web_pids)
    result["worker_rss_mb"] = {"max": rss["max"], "sum": rss["sum"], "workers": rss["workers"]}
    if target.tasks_pid:
        result["worker_rss_mb"]["tasks_worker"] = procs.rss_mb(target.tasks_pid)
    return result


def report(name: str, result: dict) -> None:
    print(f"--- {name}")
    for key, value in result.items():
        if key != "pages":
            print(f"{key:>26}: {value}")
    if result["pages"]:
        pooler = "cpu_ms_pooler" in result
        print(f"{'page':<22}{'per_s':>9}{'ratio':>8}{'p50_ms':>9}{'p99_ms':>9}{'cpu_web':>9}{'cpu_db':>8}"
              + (f"{'pooler':>8}" if pooler else "") + f"{'stmts':>7}  statuses")
        for label, page in result["pages"].items():
            print(f"{label:<22}{page['per_s']:>9}{page['ratio_to_healthz']:>8}{page['p50_ms']:>9}{page['p99_ms']:>9}"
                  f"{page['cpu_ms_web']:>9}{page['cpu_ms_db']:>8}"
                  + (f"{page['cpu_ms_pooler']:>8}" if pooler else "") + f"{page['statements']:>7}  {page['statuses']}")


def json_line(name: str, result: dict) -> str:
    extra = ("cpu_ms_pooler",) if "cpu_ms_pooler" in result else ()
    line = {"target": name} | {key: result[key] for key in HEADLINE + extra}
    line["worker_rss_mb"] = result["worker_rss_mb"]
    line["pages"] = {label: {key: p[key] for key in ("per_s", "ratio_to_healthz", "p50_ms", "p99_ms", "cpu_ms_web",
                                                     "cpu_ms_db") + extra}
                     for label, p in result["pages"].items()}
    if "spending_heavy_to_light" in result:
        line["spending_heavy_to_light"] = result["spending_heavy_to_light"]
    return json.dumps(line)


def medians(results: list[dict]) -> dict:
    """The median of each headline figure and of each page's per_s and ratio over rounds."""
    out = {key: statistics.median(r[key] for r in results) for key in HEADLINE + ("p50_ms", "cpu_ms_web")}
    out["worker_rss_mb"] = {"max": statistics.median(r["worker_rss_mb"]["max"] for r in results)}
    out["pages"] = {label: {k: statistics.median(r["pages"][label][k] for r in results)
                            for k in ("per_s", "ratio_to_healthz", "p50_ms", "p99_ms", "cpu_ms_web", "cpu_ms_db")}
                    for label in results[0]["pages"]}
    if all(r.get("spending_heavy_to_light") for r in results):
        out["spending_heavy_to_light"] = statistics.median(r["spending_heavy_to_light"] for r in results)
    return out


def side_by_side(names: list[str], figures: list[dict]) -> None:
    print(f"--- medians of {len(figures)} targets: " + " | ".join(names))
    rows = [(key, [f[key] for f in figures]) for key in HEADLINE + ("p50_ms",)]
    rows.append(("worker_rss_mb.max", [f["worker_rss_mb"]["max"] for f in figures]))
    for label in figures[0]["pages"]:
        rows.append((f"{label} per_s", [f["pages"][label]["per_s"] for f in figures]))
    if all("spending_heavy_to_light" in f for f in figures):
        rows.append(("spending_heavy_to_light", [f["spending_heavy_to_light"] for f in figures]))
    print(f"{'':>30}  " + "  ".join(f"{n[:10]:>10}" for n in names) + ("  first/second" if len(names) == 2 else ""))
    for key, values in rows:
        ratio = f"{values[0] / values[1]:.2f}x" if len(values) == 2 and values[1] else ""
        print(f"{key:>30}: " + "  ".join(f"{round(v, 4):>10}" for v in values) + f"  {ratio}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", action="append", help="a server of the target (repeat for several)")
    parser.add_argument("--gunicorn-pid", action="append", help="file with a gunicorn master pid (one per --url)")
    parser.add_argument("--stmts-dir", action="append", help="bench/gunicorn_count.py's folder (default var/bench_stmts)")
    parser.add_argument("--key-file", default="var/bench_key")
    parser.add_argument("--citizens", default="var/bench_citizens.json")
    parser.add_argument("--pooler-pid", help="file with pgbouncer's pid (two-tier)")
    parser.add_argument("--tasks-worker-pid", help="file with the db_worker's pid (its RSS is reported)")
    parser.add_argument("--name", default="current")
    parser.add_argument("--baseline-url")
    parser.add_argument("--baseline-gunicorn-pid")
    parser.add_argument("--baseline-stmts-dir")
    parser.add_argument("--baseline-database-url", help="when the baseline has its own database")
    parser.add_argument("--baseline-key-file")
    parser.add_argument("--baseline-citizens")
    parser.add_argument("--baseline-name", default="baseline")
    parser.add_argument("--rounds", type=int, default=None, help="interleaved rounds (default 1, 3 with a baseline)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--page-seconds", type=float, default=None, help="per citizen page (default --seconds; 0: none)")
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--no-pgbench", action="store_true")
    args = parser.parse_args()
    args.page_seconds = args.seconds if args.page_seconds is None else args.page_seconds
    url = os.environ["DATABASE_URL"]
    urls = args.url or ["http://127.0.0.1:8765"]
    targets = [Target(args.name, urls, args.gunicorn_pid or ["var/bench_gunicorn.pid"],
                      args.stmts_dir or ["var/bench_stmts"], url, args.key_file, args.citizens, args.pooler_pid,
                      args.tasks_worker_pid)]
    if args.baseline_url:
        targets.append(Target(args.baseline_name, [args.baseline_url], [args.baseline_gunicorn_pid],
                              [args.baseline_stmts_dir], args.baseline_database_url or url,
                              args.baseline_key_file or args.key_file, args.baseline_citizens or args.citizens))
    rounds = args.rounds or (3 if len(targets) > 1 else 1)
    results = {t.name: [] for t in targets}
    for n in range(rounds):
        for target in targets:
            result = measure(target, args, f"{int(time.time())}{n}{target.name[:1]}")
            results[target.name].append(result)
            report(f"{target.name}, round {n + 1} of {rounds}", result)
    if rounds > 1:
        side_by_side([t.name for t in targets], [medians(results[t.name]) for t in targets])
    if not args.no_pgbench:
        tps = pgbench(url, args.clients, int(args.seconds))
        first = results[targets[0].name][-1]
        print(f"{'pgbench_tps':>26}: {tps:.1f}  (reference only: bound by the WAL flush)")
        print(f"{'ratio_to_pgbench':>26}: {first['settlements_per_s'] / tps:.3f}")
    for target in targets:
        for result in results[target.name]:
            print(json_line(target.name, result))


if __name__ == "__main__":
    main()
