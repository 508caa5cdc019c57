"""gunicorn config for the bench only: counts the SQL statements each request runs, per path.

Each worker thread's Django connection gets an execute wrapper (a counter); after each request the count is added
to the worker's totals for that path, written as JSON to var/bench_stmts/<pid> (one small file per worker;
bench/load.py sums them; the folder is relative to gunicorn's working directory). Costs a few microseconds per
statement, the same in every run.
"""

import json
import os
import threading

STATS_DIR = os.path.join("var", "bench_stmts")
_local = threading.local()
_lock = threading.Lock()
_totals = {}  # path -> [requests, statements]


def _count(execute, sql, params, many, context):
    _local.statements = getattr(_local, "statements", 0) + 1
    return execute(sql, params, many, context)


def pre_request(worker, req):
    from django.db import connection

    if _count not in connection.execute_wrappers:
        connection.execute_wrappers.append(_count)
    _local.statements = 0


def post_request(worker, req, environ, resp):
    path = environ.get("PATH_INFO", "")
    with _lock:
        totals = _totals.setdefault(path, [0, 0])
        totals[0] += 1
        totals[1] += getattr(_local, "statements", 0)
        line = json.dumps(_totals)
        # Written whole then renamed, so bench/load.py never reads half a file.
        os.makedirs(STATS_DIR, exist_ok=True)
        name = os.path.join(STATS_DIR, str(os.getpid()))
        with open(name + ".tmp", "w") as fh:
            fh.write(line)
        os.replace(name + ".tmp", name)
