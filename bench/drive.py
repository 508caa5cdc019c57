"""The load clients' one loop: N keep-alive HTTP clients repeating a request until time is up.

Used for settlements, `/healthz` and citizen pages alike, so that every figure a run prints is driven the same way
(same connection handling, same clock, same error counting).

The clients are threads of this one process and run on the same cores as the server: what a client costs per
request is taken from the server's figures. So the measured requests go through `KeepAlive`, not http.client, and
the run reports the clients' own CPU per request (docs/settle-last.md).
"""

import http.client
import socket
import statistics
import threading
import time
import urllib.parse


def connection(base: str) -> http.client.HTTPConnection:
    """A plain http.client connection (logins read cookies from it); the measured requests go through KeepAlive."""
    target = urllib.parse.urlsplit(base)
    return http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)


class KeepAlive:
    """One keep-alive HTTP/1.1 connection for the measured requests, with as little Python per request as possible.

    http.client parses every answer's headers with the email package: ~0.25 ms of the client's CPU per request on
    this box (~0.45 ms with 16 client threads), taken from the same two cores the server runs on, and for /healthz a
    ceiling of its own (16 threads sharing one GIL). This client sends a request in one write and reads the answer
    by its Content-Length (or chunks, or to the end): ~0.05 ms (docs/settle-last.md). Logins keep http.client."""

    def __init__(self, base: str):
        target = urllib.parse.urlsplit(base)
        self.address, self.sock, self.buffer = (target.hostname, target.port or 80), None, b""
        self.prefix = f"Host: {target.netloc}\r\nAccept-Encoding: identity\r\n"

    def connect(self) -> socket.socket:
        sock = socket.create_connection(self.address, timeout=30)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buffer = None, b""

    def exchange(self, method: str, path: str, body, headers: dict) -> int:
        """Send one request and read its whole answer; its status. OSError / ConnectionError when broken."""
        if self.sock is None:
            self.sock = self.connect()
        data = body.encode() if isinstance(body, str) else (body or b"")
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        length = f"Content-Length: {len(data)}\r\n" if body is not None else ""
        self.sock.sendall(f"{method} {path} HTTP/1.1\r\n{self.prefix}{head}{length}\r\n".encode("latin-1") + data)
        while (end := self.buffer.find(b"\r\n\r\n")) < 0:
            self._fill()
        header, self.buffer = self.buffer[:end].lower(), self.buffer[end + 4:]
        status = int(header[9:12])
        if method == "HEAD" or status in (204, 304) or status < 200:
            return status
        if (at := header.find(b"\r\ncontent-length:")) >= 0:
            eol = header.find(b"\r\n", at + 2)
            self._skip(int(header[at + 17:eol if eol > 0 else None]))
        elif b"\r\ntransfer-encoding: chunked" in header:
            while True:
                while (eol := self.buffer.find(b"\r\n")) < 0:
                    self._fill()
                size, self.buffer = int(self.buffer[:eol].split(b";")[0], 16), self.buffer[eol + 2:]
                self._skip(size + 2)  # the chunk and its CRLF (the last, empty chunk: its CRLF, no trailers sent)
                if size == 0:
                    break
        else:  # neither: the answer ends with the connection
            while self._fill(eof_ok=True):
                pass
            self.close()
        if b"\r\nconnection: close" in header:
            self.close()
        return status

    def _fill(self, eof_ok: bool = False) -> bool:
        chunk = self.sock.recv(65536)
        if not chunk:
            if eof_ok:
                return False
            raise ConnectionError("the server closed the connection")
        self.buffer += chunk
        return True

    def _skip(self, n: int) -> None:
        while len(self.buffer) < n:
            self._fill()
        self.buffer = self.buffer[n:]


def drive(bases: list[str], clients: int, seconds: float, request) -> dict:
    """Client n talks to bases[n % len(bases)]; `request(n, k)` gives its k-th request as (method, path, body,
    headers). Returns the sorted latencies (s), the answers per status ("error" for a broken connection, which is
    then reopened), the elapsed seconds and the clients' own CPU seconds (this process's)."""
    t0, cpu0 = time.perf_counter(), time.process_time()
    latencies, statuses = _threads(bases, list(range(clients)), t0 + seconds, request)
    latencies.sort()
    return {"latencies": latencies, "statuses": statuses, "elapsed": time.perf_counter() - t0,
            "client_cpu_s": time.process_time() - cpu0}


def _threads(bases: list[str], numbers: list[int], stop: float, request) -> tuple[list, dict]:
    """Clients `numbers` as threads of this process until `stop`: (latencies, statuses)."""
    latencies, statuses, lock = [], {}, threading.Lock()

    def client(n: int):
        conn = KeepAlive(bases[n % len(bases)])
        mine, codes, k = [], {}, 0
        while time.perf_counter() < stop:
            k += 1
            method, path, body, headers = request(n, k)
            start = time.perf_counter()
            try:
                status = conn.exchange(method, path, body, headers)
            except (OSError, ValueError):
                conn.close()  # reopened by the next request
                status = "error"
            mine.append(time.perf_counter() - start)
            codes[status] = codes.get(status, 0) + 1
        with lock:
            latencies.extend(mine)
            for code, count in codes.items():
                statuses[code] = statuses.get(code, 0) + count

    threads = [threading.Thread(target=client, args=(n,)) for n in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses


def percentiles(latencies: list[float]) -> list[float]:
    """The 1st … 99th percentiles (index 49 is the median), zeros for fewer than two answers."""
    return statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
