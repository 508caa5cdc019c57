"""CPU per citizen page, side by side with /healthz and (optionally) another revision, in one run.

    .venv/bin/python bench/pages_profile.py [--baseline REV] [--rounds 3] [--requests 150] [--others 20000]

Creates a scratch database `gjt_pages` (another name with BENCH_PAGES_DB=…) on the embedded server (or
$BENCH_ADMIN_URL), migrates it, loads the demo families, and gives one authorizer (张伟) 10,000 extra sharing payments
over two years (the heavy authorizer; 孙立, with a handful, is the light one); `--others N` adds N newer payments of
another authorizer after them, as the load bench's settlement phase does. Then, per round and per code tree (this
checkout, and with --baseline an exported copy of REV under /tmp), a fresh process logs in with Django's test client
(DEBUG off, database sessions, as served) and requests each page `--requests` times after a warm-up, reading its own
CPU time and the CPU time of its PostgreSQL backend (/proc). Rounds interleave the trees; the table shows medians.
`ratio` is /healthz's CPU per request divided by the page's: the share of /healthz throughput the page would reach on
a CPU-bound box. Nothing here is a test.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))
from bench.pages_sql import HEAVY_SQL, OTHERS_SQL  # noqa: E402

DB = os.environ.get("BENCH_PAGES_DB", "gjt_pages")  # another name keeps two runs on one server apart
HEAVY_PAYMENTS = 10_000
# (label, login key in demo.data, url name, query)
PAGES = [
    ("my insurance", "worker", "/accounts/me/"),
    ("records", "worker", "/sharing/"),
    ("spending (light)", "beijing_worker", "/money/spending/"),
    ("spending (heavy)", "worker", "/money/spending/"),
    ("paid for me", "spouse", "/money/paid-for-me/"),
    ("notifications", "worker", "/notifications/"),
    ("family account", "worker", "/family/"),
]


def admin_url() -> str:
    return os.environ.get("BENCH_ADMIN_URL") or subprocess.run(
        [sys.executable, "-m", "portal.embedded_db"], cwd=HERE, check=True, capture_output=True, text=True,
    ).stdout.strip()


def db_url(admin: str) -> str:
    return admin.replace("/postgres?", f"/{DB}?", 1)


def base_env(url: str) -> dict:
    return dict(os.environ, DATABASE_URL=url, DJANGO_SECRET_KEY="bench-pages-only-0123456789abcdefghijklmnop",
                DJANGO_HTTPS="0", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1",
                DJANGO_SETTINGS_MODULE="portal.settings", DJANGO_DB_STATEMENT_TIMEOUT_MS="0")


def django_setup(tree: Path) -> None:
    sys.path.insert(0, str(tree))
    os.chdir(tree)
    import django

    django.setup()


def setup(admin: str, others: int = 0) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")
    env = base_env(db_url(admin))
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=HERE, env=env, check=True)
    subprocess.run([sys.executable, __file__, "--load", "--others", str(others)], cwd=HERE, env=env, check=True)


def load(others: int = 0) -> None:
    django_setup(HERE)
    from django.db import connection

    from demo import data as demo
    from registry.models import InsuredPerson

    demo.load()
    payer = InsuredPerson.objects.get(certno=demo.certno("worker"))
    with connection.cursor() as cursor:
        cursor.execute(HEAVY_SQL, {"payer": payer.pk, "n": HEAVY_PAYMENTS})
        if others:
            cursor.execute(OTHERS_SQL, {"heavy": payer.pk, "n": others,
                                        "payer": InsuredPerson.objects.get(certno=demo.certno("zero_worker")).pk,
                                        "member": InsuredPerson.objects.get(certno=demo.certno("zero_mother")).pk})
    try:  # the spending summary, where the checkout has one (its triggers were off during the load above)
        from spending.summary import rebuild
    except ImportError:
        pass
    else:
        rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(requests: int) -> dict:
    """In the tree given by cwd: CPU ms per request of each page and /healthz (this process; its DB backend)."""
    django_setup(Path.cwd())
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from demo import data as demo

    results = {}
    targets = [("/healthz", None, "/healthz")] + [(label, key, url) for label, key, url in PAGES]
    for label, key, url in targets:
        client = Client()
        if key:
            client.force_login(User.objects.get(username=demo.certno(key)), backend="accounts.backends.IdOrMobileBackend")
        for _ in range(20):
            response = client.get(url)
            assert response.status_code == 200, (label, response.status_code)
        statements = []

        def count(execute, sql, *args, statements=statements):
            statements.append(sql)
            return execute(sql, *args)

        with connection.execute_wrapper(count):
            response = client.get(url)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        py0, db0, wall0 = time.process_time(), cpu_of(backend), time.perf_counter()
        for _ in range(requests):
            client.get(url)
        py1, db1, wall1 = time.process_time(), cpu_of(backend), time.perf_counter()
        results[label] = {"py_ms": (py1 - py0) * 1000 / requests, "db_ms": (db1 - db0) * 1000 / requests,
                          "wall_ms": (wall1 - wall0) * 1000 / requests, "queries": len(statements),
                          "bytes": len(response.content)}
    return results


def profile(label: str, requests: int) -> None:
    import cProfile
    import pstats

    os.environ.update(base_env(db_url(admin_url())))
    django_setup(HERE)
    from django.test import Client

    from accounts.models import User
    from demo import data as demo

    _label, key, url = next(page for page in PAGES if page[0] == label)
    client = Client()
    client.force_login(User.objects.get(username=demo.certno(key)), backend="accounts.backends.IdOrMobileBackend")
    for _ in range(10):
        client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(url)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(90)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def cookies() -> dict:
    """A logged-in session cookie per demo login the pages use (database sessions, as served)."""
    django_setup(Path.cwd())
    from django.test import Client

    from accounts.models import User
    from demo import data as demo

    found = {}
    for key in {key for _label, key, _url in PAGES}:
        client = Client()
        client.force_login(User.objects.get(username=demo.certno(key)), backend="accounts.backends.IdOrMobileBackend")
        found[key] = client.cookies["sessionid"].value
    return found


def tree_cpu(root: int) -> float:
    """CPU seconds of a process and its live children (gunicorn's master and workers)."""
    total, pids = 0.0, [root]
    while pids:
        pid = pids.pop()
        try:
            total += cpu_of(pid)
            for task in os.listdir(f"/proc/{pid}/task"):
                pids += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
        except OSError:
            pass
    return total


def hammer(port: int, url: str, cookie: str | None, clients: int, seconds: float) -> tuple[float, int]:
    """(Requests per second, requests) answered 200 by 127.0.0.1:port with `clients` keep-alive connections."""
    import http.client
    import threading

    done, stop = [0] * clients, time.monotonic() + seconds
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}

    def client(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            conn.request("GET", url, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{url}: {response.status}")
            done[n] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.monotonic() - started), sum(done)


def http_round(tree: Path, env: dict, port: int, clients: int, seconds: float, workers: int) -> dict:
    """Start gunicorn from `tree`, load /healthz and each page in turn, stop it: requests/s per target."""
    import signal
    import socket

    session = json.loads(subprocess.run([sys.executable, str(HERE / "bench" / "pages_profile.py"), "--cookies"],
                                        cwd=tree, env=env, check=True, capture_output=True, text=True).stdout)
    pidfile = Path(tempfile.mkdtemp(prefix="pages-gunicorn-")) / "pid"
    subprocess.run([str(HERE / ".venv" / "bin" / "gunicorn"), "portal.wsgi:application", "--bind",
                    f"127.0.0.1:{port}", "--workers", str(workers), "--threads", "1", "--log-level", "warning",
                    "--pid", str(pidfile), "--daemon"], cwd=tree, env=env, check=True)
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0 and pidfile.exists():
                    break
            time.sleep(0.1)
        results, master = {}, int(pidfile.read_text())
        for label, key, url in [("/healthz", None, "/healthz")] + PAGES:
            hammer(port, url, session.get(key), clients, 1)  # warm-up
            cpu = tree_cpu(master)
            per_s, requests = hammer(port, url, session.get(key), clients, seconds)
            results[label] = {"per_s": per_s, "web_cpu_ms": (tree_cpu(master) - cpu) * 1000 / max(requests, 1)}
        return results
    finally:
        os.kill(int(pidfile.read_text()), signal.SIGTERM)
        time.sleep(1)


def export(rev: str) -> Path:
    target = Path(tempfile.mkdtemp(prefix="pages-base-"))
    archive = subprocess.run(["git", "archive", rev], cwd=HERE, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    (target / ".venv").symlink_to(HERE / ".venv")
    return target


def collectstatic(tree: Path, env: dict) -> None:
    """Compiled translations (`*.mo` is not in git, so an exported tree has none) and static files, as served."""
    for command in (["compile_translations", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=tree, env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", help="a git revision measured side by side (exported to /tmp)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=150)
    parser.add_argument("--no-setup", action="store_true", help="reuse the gjt_pages database of a previous run")
    parser.add_argument("--others", type=int, default=0, metavar="N",
                        help="setup: N newer payments of another authorizer after the heavy one's (as on the load bench)")
    parser.add_argument("--http", type=int, metavar="PORT",
                        help="instead of in-process CPU: requests/s through gunicorn on 127.0.0.1:PORT (same clients)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cookies", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--load", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile", help="cProfile one page label (after a run made the database), print the top")
    args = parser.parse_args()
    if args.load:
        return load(args.others)
    if args.measure:
        print(json.dumps(measure(args.requests)))
        return
    if args.cookies:
        print(json.dumps(cookies()))
        return
    if args.profile:
        return profile(args.profile, args.requests)
    admin = admin_url()
    if not args.no_setup:
        setup(admin, args.others)
    env = base_env(db_url(admin))
    trees = {"this checkout": HERE}
    if args.baseline:
        trees = {f"baseline {args.baseline}": export(args.baseline), **trees}
    for tree in trees.values():
        collectstatic(tree, env)
    runs = {name: [] for name in trees}
    for _round in range(args.rounds):
        for name, tree in trees.items():
            if args.http:
                runs[name].append(http_round(tree, env, args.http, args.clients, args.seconds, args.workers))
                continue
            out = subprocess.run([sys.executable, str(HERE / "bench" / "pages_profile.py"), "--measure",
                                  "--requests", str(args.requests)], cwd=tree, env=env, check=True,
                                 capture_output=True, text=True).stdout
            runs[name].append(json.loads(out.strip().splitlines()[-1]))
    (http_report if args.http else report)(runs)


def http_report(runs: dict) -> None:
    summary = {}
    print(f"{'page':<18}" + "".join(f" | {name[:24]:>24}: req/s ratio web-CPU-ms cpu-ratio" for name in runs))
    for label in next(iter(runs.values()))[0]:
        line = f"{label:<18}"
        for name in runs:
            per_s = statistics.median(run[label]["per_s"] for run in runs[name])
            ratio = statistics.median(run[label]["per_s"] / run["/healthz"]["per_s"] for run in runs[name])
            cpu = statistics.median(run[label]["web_cpu_ms"] for run in runs[name])
            cpu_ratio = statistics.median(run["/healthz"]["web_cpu_ms"] / run[label]["web_cpu_ms"] for run in runs[name])
            line += f" | {per_s:32.1f} {ratio:5.3f} {cpu:10.2f} {cpu_ratio:9.3f}"
            summary.setdefault(name, {})[label] = {"per_s": round(per_s, 1), "ratio_to_healthz": round(ratio, 3),
                                                   "web_cpu_ms": round(cpu, 2), "cpu_ratio": round(cpu_ratio, 3)}
        print(line)
    for name in runs:
        heavy, light = summary[name]["spending (heavy)"], summary[name]["spending (light)"]
        print(f"{name}: spending light/heavy throughput = {light['per_s'] / heavy['per_s']:.2f}, "
              f"heavy/light web CPU = {heavy['web_cpu_ms'] / light['web_cpu_ms']:.2f}")
    print(json.dumps(summary, ensure_ascii=False))


def report(runs: dict) -> None:
    def med(name, label, key):
        return statistics.median(run[label][key] for run in runs[name])

    summary = {}
    print(f"{'page':<18}" + "".join(f" | {name[:30]:>30}: py+db ms (py, db) queries ratio" for name in runs))
    labels = list(next(iter(runs.values()))[0])
    for label in labels:
        line = f"{label:<18}"
        for name in runs:
            py, db = med(name, label, "py_ms"), med(name, label, "db_ms")
            health = med(name, "/healthz", "py_ms") + med(name, "/healthz", "db_ms")
            ratio = health / (py + db)
            queries = runs[name][0][label]["queries"]
            line += f" | {py + db:8.2f} ({py:6.2f}, {db:5.2f}) {queries:3d} {ratio:6.3f}"
            summary.setdefault(name, {})[label] = {"cpu_ms": round(py + db, 2), "py_ms": round(py, 2),
                                                   "db_ms": round(db, 2), "queries": queries, "ratio": round(ratio, 3)}
        print(line)
    for name in runs:
        heavy, light = summary[name]["spending (heavy)"], summary[name]["spending (light)"]
        print(f"{name}: spending heavy/light CPU = {heavy['cpu_ms'] / light['cpu_ms']:.2f}")
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
