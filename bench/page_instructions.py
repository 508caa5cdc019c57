"""Instructions per citizen page in the web process, counted by valgrind: the same figure run after run.

    .venv/bin/python bench/page_instructions.py [--baseline REV] [--requests 50] [--pages /accounts/me/,spending(heavy)]

Timings on this shared 2-core machine swing 20–30 % between rounds (bench/README.md), which hides a 3 % change;
the number of instructions the Python process executes for a page does not swing. Per page and code tree, a fresh
process (Django's test client, DEBUG off, database sessions as served) logs the bench citizen in, warms up, and
runs N requests under `valgrind --tool=callgrind`; the same with 0 requests is subtracted, so imports, set-up and
warm-up cancel out. Instructions are not CPU time (a cache miss or a system call costs more than it counts), and
PostgreSQL's side is not in them: bench/run.sh stays the measure of record; this is for telling whether a change
to a page made it cheaper, by how much, without noise. About a minute per page and tree (valgrind runs Python ~50×
slower).

Needs valgrind (Debian's package) and the database of a bench run (`gjt_bench` with var/bench_citizens.json, made
by bench/run.sh). Nothing here is a test.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def all_pages() -> list[tuple[str, str, str]]:
    """(name, citizen of var/bench_citizens.json or "anon", path): /healthz and the pages of the load bench."""
    sys.path.insert(0, str(HERE))
    from bench.pages import PAGES

    return [("/healthz", "anon", "/healthz")] + [(label, citizen, path) for label, path, citizen in PAGES]


def run_requests(citizen: str, path: str, requests: int) -> None:
    """In the tree given by cwd, against gjt_bench: log in, warm up, then `requests` GETs of `path`."""
    sys.path.insert(0, str(Path.cwd()))
    os.environ["DATABASE_URL"] = os.environ["BENCH_ADMIN_URL"].replace("/postgres?", "/gjt_bench?", 1)
    os.environ.update(DJANGO_SECRET_KEY="bench-instructions-only-0123456789abcdefghij", DJANGO_HTTPS="0",
                      DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="testserver", DJANGO_SETTINGS_MODULE="portal.settings",
                      DJANGO_DB_STATEMENT_TIMEOUT_MS="0")
    import django

    django.setup()
    from django.test import Client

    from accounts.models import User

    client = Client()
    if citizen != "anon":
        users = json.loads((HERE / "var" / "bench_citizens.json").read_text())
        client.force_login(User.objects.get(username=users[citizen]["username"]),
                           backend="accounts.backends.IdOrMobileBackend")
    for _ in range(15):
        assert client.get(path).status_code == 200, path
    for _ in range(requests):
        client.get(path)


def instructions(tree: Path, citizen: str, path: str, requests: int) -> int:
    """Instructions the process executed (callgrind's "Collected")."""
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", "--cache-sim=no", "--branch-sim=no",
         sys.executable, str(HERE / "bench" / "page_instructions.py"), "--run", citizen, path, str(requests)],
        cwd=tree, env=dict(os.environ, PYTHONHASHSEED="0"), capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", out.stderr)
    if out.returncode != 0 or not found:
        raise SystemExit(f"{tree} {path}: valgrind run failed\n{out.stderr[-2000:]}")
    return int(found.group(1))


def per_request(tree: Path, citizen: str, path: str, requests: int) -> float:
    return (instructions(tree, citizen, path, requests) - instructions(tree, citizen, path, 0)) / requests


def export(rev: str) -> Path:
    target = Path(tempfile.mkdtemp(prefix="instructions-base-"))
    archive = subprocess.run(["git", "archive", rev], cwd=HERE, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    for language in ("en", "zh_Hans"):  # compiled catalogues and collected static files, as this checkout has them
        compiled = HERE / "locale" / language / "LC_MESSAGES" / "django.mo"
        if compiled.exists():
            shutil.copy(compiled, target / "locale" / language / "LC_MESSAGES" / "django.mo")
    (target / "var").mkdir(exist_ok=True)
    (target / "var" / "staticfiles").symlink_to(HERE / "var" / "staticfiles")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", help="a git revision counted side by side (exported to /tmp)")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--pages", help="comma-separated page names, as bench/run.sh prints them (default: all)")
    parser.add_argument("--run", nargs=3, metavar=("CITIZEN", "PATH", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        return run_requests(args.run[0], args.run[1], int(args.run[2]))
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    if not (HERE / "var" / "bench_citizens.json").exists():
        raise SystemExit("no bench database: run bench/run.sh first (it makes gjt_bench and var/bench_citizens.json)")
    os.environ.setdefault("BENCH_ADMIN_URL", subprocess.run(
        [sys.executable, "-m", "portal.embedded_db"], cwd=HERE, check=True, capture_output=True, text=True,
    ).stdout.strip())
    wanted = set(args.pages.split(",")) if args.pages else None
    pages = [page for page in all_pages() if wanted is None or page[0] in wanted]
    trees = {"this checkout": HERE}
    if args.baseline:
        trees = {f"baseline {args.baseline}": export(args.baseline), **trees}
    figures = {name: {} for name in trees}
    print(f"{'page':<20}" + "".join(f" | {name[:22]:>22}" for name in trees) + (" | ratio" if args.baseline else ""))
    for page, citizen, path in pages:
        for name, tree in trees.items():
            figures[name][page] = per_request(tree, citizen, path, args.requests)
        counts = [figures[name][page] for name in trees]
        ratio = f" | {counts[-1] / counts[0]:.3f}" if args.baseline else ""
        print(f"{page:<20}" + "".join(f" | {count / 1e6:19.2f} M" for count in counts) + ratio, flush=True)
    print(json.dumps({name: {page: round(count) for page, count in values.items()} for name, values in figures.items()}))


if __name__ == "__main__":
    main()
