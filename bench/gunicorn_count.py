"""gunicorn config for the bench only: counts the SQL statements each request runs, per path.

Each worker thread's Django connection gets an execute wrapper (a counter); after each request the count is added
to the worker's totals for that path. A thread of each worker writes the totals, when they changed, as JSON to
var/bench_stmts/<pid> every FLUSH seconds (one small file per worker; bench/load.py waits longer than that before it
reads and sums them; the folder is relative to gunicorn's working directory). Writing the file after every request
cost ~0.1 ms of CPU per request, counted in every web figure; now a request costs a few microseconds.
"""

import json
import os
import threading
import time

STATS_DIR = os.path.join("var", "bench_stmts")
_local = threading.local()
_lock = threading.Lock()
_totals = {}  # path -> [requests, statements]
_dirty = threading.Event()
FLUSH = 0.2  # seconds


def _flush_forever():
    while True:
        _dirty.wait()
        time.sleep(FLUSH)
        with _lock:
            _dirty.clear()
            line = json.dumps(_totals)
        # Written whole then renamed, so bench/load.py never reads half a file.
        os.makedirs(STATS_DIR, exist_ok=True)
        name = os.path.join(STATS_DIR, str(os.getpid()))
        with open(name + ".tmp", "w") as fh:
            fh.write(line)
        os.replace(name + ".tmp", name)


def post_worker_init(worker):
    try:  # as served (portal/gunicorn_conf.py); a baseline revision from before it has no such hook
        from core.serving import warm_and_freeze
    except ImportError:
        pass
    else:
        warm_and_freeze()
    threading.Thread(target=_flush_forever, name="bench-stmts", daemon=True).start()


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
    _dirty.set()
