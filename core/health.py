"""Probes for load balancers.

`/healthz`: the process is alive and answers — no database query at all, so a slow database does not make a load
balancer restart healthy app servers. `/readyz`: the database answers `SELECT 1` within one second on a fresh, short
connection (connect and statement timeouts of 1 s), else 503, so traffic is sent elsewhere until it does.
"""

import time

from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

READY_TIMEOUT_S = 1


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


def database_answers(alias: str = "default", timeout_s: float = READY_TIMEOUT_S) -> bool:
    """True when the database behind `alias` connects and answers `SELECT 1` within `timeout_s`."""
    wrapper = connections[alias]
    params = wrapper.get_connection_params()
    params["connect_timeout"] = max(1, int(timeout_s))
    params["options"] = (params.get("options", "") + f" -c statement_timeout={int(timeout_s * 1000)}").strip()
    started = time.monotonic()
    try:
        conn = wrapper.get_new_connection(params)
    except DatabaseError:
        return False
    except Exception as exc:  # psycopg raises its own OperationalError outside Django's wrapper
        if type(exc).__module__.startswith("psycopg"):
            return False
        raise
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        if type(exc).__module__.startswith("psycopg"):
            return False
        raise
    finally:
        conn.close()
    return time.monotonic() - started <= timeout_s


@never_cache
@require_GET
def readyz(request):
    if database_answers():
        return JsonResponse({"status": "ready"})
    response = JsonResponse({"status": "database unavailable"}, status=503)
    response["Retry-After"] = "5"
    return response
