"""The served workers keep the long-lived objects away from the garbage collector (portal/gunicorn_conf.py)."""

import gc
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from portal import gunicorn_conf

BASE_DIR = Path(__file__).resolve().parents[2]


def test_a_worker_freezes_what_it_loaded_so_a_full_collection_does_not_walk_it():
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        gunicorn_conf.post_worker_init(worker=None)
        frozen = gc.get_freeze_count()
        assert frozen > 50_000  # Django, the apps, the URL patterns, the catalogues
        assert gc.get_count()[0] < 100  # collected first: no garbage frozen with them
    finally:
        gc.unfreeze()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_serves_with_the_portals_config():
    port = _free_port()
    env = {**os.environ, "DJANGO_SECRET_KEY": "gunicorn-conf-test-0123456789abcdefghijklmnopqrstuv",
           "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_HTTPS": "0"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen([str(gunicorn), "portal.wsgi:application", "-c", "python:portal.gunicorn_conf",
                               "--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"],
                              cwd=BASE_DIR, env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                    assert reply.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline, "gunicorn did not answer /healthz within 30 s"
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
