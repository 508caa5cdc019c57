"""gunicorn config for the bench only: counts the SQL statements each settlement request runs.

Each worker thread's Django connection gets an execute wrapper (a counter); after a request to the settlement
endpoint the count is added to the worker's total, which is written to var/bench_stmts/<pid> (one small file per
worker; bench/load.py sums them). Costs a few microseconds per statement, the same in every run.
"""

import os
import threading

STATS_DIR = os.path.join("var", "bench_stmts")
_local = threading.local()
_lock = threading.Lock()
_totals = {"requests": 0, "statements": 0}


def _count(execute, sql, params, many, context):
    _local.statements = getattr(_local, "statements", 0) + 1
    return execute(sql, params, many, context)


def pre_request(worker, req):
    from django.db import connection

    if _count not in connection.execute_wrappers:
        connection.execute_wrappers.append(_count)
    _local.statements = 0


def post_request(worker, req, environ, resp):
    if environ.get("PATH_INFO") != "/api/v1/settlements":
        return
    with _lock:
        _totals["requests"] += 1
        _totals["statements"] += getattr(_local, "statements", 0)
        line = f"{_totals['requests']} {_totals['statements']}\n"
    os.makedirs(STATS_DIR, exist_ok=True)
    with open(os.path.join(STATS_DIR, str(os.getpid())), "w") as fh:
        fh.write(line)
