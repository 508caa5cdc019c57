"""CPU of one settlement in-process (no HTTP server, no client), side by side with another revision.

    .venv/bin/python bench/settle_profile.py [--baseline REV] [--rounds 3] [--requests 700] [--scale 0.01]
    .venv/bin/python bench/settle_profile.py --profile 1000 [--dump F]  # cProfile of this checkout, top 40

Creates a scratch database `gjt_settle` on the embedded server (or $BENCH_ADMIN_URL), migrates it and loads it with
bench/generate.py (`--reuse` keeps an existing one). Then, per round and per code tree (this checkout, and with
--baseline an exported copy of REV under /tmp), a fresh process calls Django's WSGI handler directly with
`POST /api/v1/settlements` bodies like bench/load.py's (same seed for every tree, so the same patients and amounts),
after a warm-up, and reads its own CPU time (`time.process_time`) and the CPU time of its PostgreSQL backend (/proc).
Rounds interleave the trees (the order alternates per round); the table shows every pair and the medians. Every
answer must be 201. Nothing here is a test.
"""

import argparse
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
DB = "gjt_settle"


def admin_url() -> str:
    return os.environ.get("BENCH_ADMIN_URL") or subprocess.run(
        [sys.executable, "-m", "portal.embedded_db"], cwd=HERE, check=True, capture_output=True, text=True,
    ).stdout.strip()


def base_env(url: str) -> dict:
    return dict(os.environ, DATABASE_URL=url, DJANGO_SECRET_KEY="bench-settle-only-0123456789abcdefghijklmnop",
                DJANGO_HTTPS="0", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="127.0.0.1",
                DJANGO_SETTINGS_MODULE="portal.settings", DJANGO_DB_STATEMENT_TIMEOUT_MS="0")


def prepare(admin: str, url: str, scale: float, reuse: bool) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone()
        if exists and reuse:
            return
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")
    env = base_env(url)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=HERE, env=env, check=True)
    subprocess.run([sys.executable, "bench/generate.py", "--scale", str(scale)], cwd=HERE, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def _cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child(args) -> None:
    """One tree, one process: warm up, then time `--requests` settlements."""
    sys.path.insert(0, args.tree)
    os.chdir(args.tree)
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    handler = WSGIHandler()
    key = Path(args.key_file).read_text().strip()
    with connection.cursor() as cur:
        cur.execute("""SELECT p.certno FROM sharing_binding b JOIN registry_insuredperson p ON p.id = b.member_id
                       WHERE b.status = 'active' ORDER BY p.certno""")
        certnos = [row[0] for row in cur.fetchall()]
    rng = random.Random(args.seed)
    statuses = {}

    def start_response(status, headers, exc_info=None):
        statuses[status[:3]] = statuses.get(status[:3], 0) + 1

    def settle(k: int) -> None:
        body = json.dumps({"request_id": f"p{args.run_id}-{k}", "mdtrt_cert_type": "02",
                           "mdtrt_cert_no": rng.choice(certnos), "amount": f"{rng.randint(100, 20000) / 100:.2f}",
                           "category": rng.choice(["outpatient", "pharmacy"])}).encode()
        environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/v1/settlements", "SCRIPT_NAME": "",
                   "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
                   "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
                   "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body)),
                   "HTTP_AUTHORIZATION": f"Bearer {key}", "REMOTE_ADDR": "127.0.0.1"}
        response = handler(environ, start_response)
        b"".join(response)
        response.close()

    for k in range(args.warmup):
        settle(-1 - k)
    backend = connection.connection.info.backend_pid
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for k in range(args.requests):
            settle(k)
        profiler.disable()
        if args.dump:
            profiler.dump_stats(args.dump)
        stats = pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative")
        stats.print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
    statuses.clear()
    py0, db0 = time.process_time(), _cpu(backend)
    for k in range(args.requests):
        settle(args.requests + k)
    py1, db1 = time.process_time(), _cpu(backend)
    n = args.requests
    print(json.dumps({"python_ms": round((py1 - py0) * 1000 / n, 3), "backend_ms": round((db1 - db0) * 1000 / n, 3),
                      "statuses": statuses}))


def export(rev: str) -> Path:
    tree = Path(tempfile.mkdtemp(prefix="gjt-settle-base-"))
    archive = subprocess.run(["git", "archive", rev], cwd=HERE, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=700)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--reuse", action="store_true", help="keep an existing gjt_settle")
    parser.add_argument("--profile", type=int, default=0, help="cProfile this many settlements (this checkout)")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--dump", help="with --profile: also write the pstats file here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tree", help=argparse.SUPPRESS)
    parser.add_argument("--key-file", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=2026, help=argparse.SUPPRESS)
    parser.add_argument("--run-id", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    admin = admin_url()
    url = admin.replace("/postgres?", f"/{DB}?", 1)
    prepare(admin, url, args.scale, args.reuse)
    trees = [("this", HERE)]
    if args.baseline:
        trees.append((f"base {args.baseline}", export(args.baseline)))
    env = base_env(url)
    key_file = str(HERE / "var" / "bench_key")
    stamp = int(time.time())

    def run(name: str, tree: Path, round_: int, profile: int = 0) -> dict:
        cmd = [sys.executable, str(HERE / "bench" / "settle_profile.py"), "--child", "--tree", str(tree),
               "--key-file", key_file, "--requests", str(profile or args.requests), "--warmup", str(args.warmup),
               "--seed", str(args.seed + round_), "--run-id", f"{stamp}-{round_}-{name.split()[0]}",
               "--top", str(args.top)] + (["--profile", "1"] if profile else []) + (
                   ["--dump", args.dump] if profile and args.dump else [])
        out = subprocess.run(cmd, env=env, check=True, capture_output=not profile, text=True)
        return json.loads(out.stdout) if not profile else {}

    if args.profile:
        run("this", HERE, 0, profile=args.profile)
        return
    results = {name: [] for name, _tree in trees}
    for round_ in range(args.rounds):
        order = trees if round_ % 2 == 0 else list(reversed(trees))
        for name, tree in order:
            result = run(name, tree, round_)
            if set(result["statuses"]) != {"201"}:
                raise SystemExit(f"{name}: not every settlement was 201: {result['statuses']}")
            results[name].append(result)
            print(f"round {round_ + 1} {name:>20}: python {result['python_ms']:.3f} ms  "
                  f"backend {result['backend_ms']:.3f} ms  total "
                  f"{result['python_ms'] + result['backend_ms']:.3f} ms", flush=True)
    if args.baseline:
        shutil.rmtree(trees[1][1])
    for name, runs in results.items():
        py = statistics.median(r["python_ms"] for r in runs)
        db = statistics.median(r["backend_ms"] for r in runs)
        print(f"median {name:>20}: python {py:.3f} ms  backend {db:.3f} ms  ({len(runs)} rounds of "
              f"{args.requests} settlements)")


if __name__ == "__main__":
    main()
