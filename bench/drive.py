"""The load clients' one loop: N keep-alive HTTP clients repeating a request until time is up.

Used for settlements, `/healthz` and citizen pages alike, so that every figure a run prints is driven the same way
(same connection handling, same clock, same error counting).
"""

import http.client
import statistics
import threading
import time
import urllib.parse


def connection(base: str) -> http.client.HTTPConnection:
    target = urllib.parse.urlsplit(base)
    return http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)


def drive(bases: list[str], clients: int, seconds: float, request) -> dict:
    """Client n talks to bases[n % len(bases)]; `request(n, k)` gives its k-th request as (method, path, body,
    headers). Returns the sorted latencies (s), the answers per status ("error" for a broken connection, which is
    then reopened) and the elapsed seconds."""
    latencies, statuses, lock = [], {}, threading.Lock()
    stop = time.perf_counter() + seconds

    def client(n: int):
        base = bases[n % len(bases)]
        conn = connection(base)
        mine, codes, k = [], {}, 0
        while time.perf_counter() < stop:
            k += 1
            method, path, body, headers = request(n, k)
            start = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = connection(base)
                status = "error"
            mine.append(time.perf_counter() - start)
            codes[status] = codes.get(status, 0) + 1
        with lock:
            latencies.extend(mine)
            for code, count in codes.items():
                statuses[code] = statuses.get(code, 0) + count

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {"latencies": latencies, "statuses": statuses, "elapsed": time.perf_counter() - t0}


def percentiles(latencies: list[float]) -> list[float]:
    """The 1st … 99th percentiles (index 49 is the median), zeros for fewer than two answers."""
    return statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
