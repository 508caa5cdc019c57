"""gunicorn settings of the portal: `gunicorn -c python:portal.gunicorn_conf` (scripts/web-and-worker.sh); the
bench's bench/gunicorn_count.py runs the same hook. Each worker, once it has loaded the portal, freezes what it
loaded out of the garbage collector's reach (core/serving.py, docs/gc-freeze.md)."""

from core.serving import warm_and_freeze


def post_worker_init(worker):
    warm_and_freeze()
