"""Citizen pages under load: log in once per citizen (CSRF + session cookie), then GET one page with N clients.

The citizens and their passwords come from var/bench_citizens.json (bench/citizens.py). Each citizen logs in
once per server; every client thread reuses that session cookie (a real browser session each, without paying one
password hash per thread).
"""

import http.cookies
import re
import urllib.parse

from bench.drive import connection, drive, percentiles

# (label in the report, path, citizen): the pages of issue 12.
PAGES = [
    ("/accounts/me/", "/accounts/me/", "light"),
    ("/sharing/", "/sharing/", "light"),
    ("/money/spending/", "/money/spending/", "light"),
    ("spending(heavy)", "/money/spending/", "heavy"),
    ("/money/paid-for-me/", "/money/paid-for-me/", "member"),
    ("/notifications/", "/notifications/", "light"),
    ("/family/", "/family/", "holder"),
]
_CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _cookies(response, jar: dict) -> None:
    for header in response.msg.get_all("Set-Cookie") or []:
        cookie = http.cookies.SimpleCookie(header)
        for name, morsel in cookie.items():
            jar[name] = morsel.value


def login(base: str, username: str, password: str) -> str:
    """The Cookie header of a logged-in session (raises when the login form does not redirect)."""
    conn, jar = connection(base), {}
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read()
    _cookies(response, jar)
    match = _CSRF_FIELD.search(page)
    if response.status != 200 or not match:
        raise RuntimeError(f"login page answered {response.status} without a CSRF field")
    body = urllib.parse.urlencode({"username": username, "password": password,
                                   "csrfmiddlewaretoken": match.group(1).decode()})
    conn.request("POST", "/accounts/login/", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Referer": f"{base}/accounts/login/",
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
    response = conn.getresponse()
    response.read()
    _cookies(response, jar)
    conn.close()
    if response.status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"login of {username} answered {response.status} (expected a redirect with a session)")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def run_page(bases: list[str], path: str, cookies: list[str], clients: int, seconds: float) -> dict:
    """GET `path` with `clients` keep-alive clients (client n on bases[n % len], with that server's cookie)."""
    run = drive(bases, clients, seconds, lambda n, k: ("GET", path, None, {"Cookie": cookies[n % len(bases)]}))
    latencies, statuses = run["latencies"], run["statuses"]
    q = percentiles(latencies)
    ok = statuses.get(200, 0)
    return {"requests": len(latencies), "ok_200": ok, "statuses": statuses, "per_s": round(ok / run["elapsed"], 1),
            "p50_ms": round(q[49] * 1000, 1), "p99_ms": round(q[98] * 1000, 1)}
