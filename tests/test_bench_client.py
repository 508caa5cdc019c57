"""The bench's lean HTTP client (bench/drive.py KeepAlive) reads whole answers, so that keep-alive requests never
read each other's bytes: by Content-Length, by chunks, to the end; what it sends is one well-formed request. A
socket pair stands for the server (no port, no server process)."""

import socket
import threading

import pytest

from bench.drive import KeepAlive


class Paired(KeepAlive):
    def __init__(self, answers: list[bytes]):
        super().__init__("http://127.0.0.1:8000")
        self.ours, self.theirs = socket.socketpair()
        self.received = []
        self.connects = 0
        threading.Thread(target=self._serve, args=(answers,), daemon=True).start()

    def connect(self):
        self.connects += 1
        return self.ours

    def _serve(self, answers):
        buffer = b""
        for answer in answers:
            while b"\r\n\r\n" not in buffer:
                buffer += self.theirs.recv(65536)
            head, _, rest = buffer.partition(b"\r\n\r\n")
            length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), 0)
            while len(rest) < length:
                rest += self.theirs.recv(65536)
            self.received.append(head + b"\r\n\r\n" + rest[:length])
            buffer = rest[length:]
            # Sent in two pieces, so that the reader has to wait for the rest of a body.
            self.theirs.sendall(answer[:len(answer) // 2])
            self.theirs.sendall(answer[len(answer) // 2:])
        self.theirs.shutdown(socket.SHUT_WR)


def test_answers_by_length_and_by_chunks_on_one_connection():
    client = Paired([
        b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"a\": \"b\"}\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n3;x=y\r\nefg\r\n0\r\n\r\n",
        b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n",
    ])
    assert client.exchange("POST", "/api/v1/settlements", '{"amount": "1.00"}',
                           {"Authorization": "Bearer k", "Content-Type": "application/json"}) == 201
    assert client.exchange("GET", "/healthz", None, {}) == 200
    assert client.exchange("GET", "/nowhere", None, {"Cookie": "a=b"}) == 404
    assert client.connects == 1 and client.buffer == b""
    first = client.received[0].decode()
    assert first.startswith("POST /api/v1/settlements HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n")
    assert "Authorization: Bearer k\r\n" in first and "Content-Length: 18\r\n" in first
    assert first.endswith('\r\n\r\n{"amount": "1.00"}')
    assert "Content-Length" not in client.received[1].decode()  # no body, no length
    assert "Cookie: a=b\r\n" in client.received[2].decode()


def test_an_answer_without_length_ends_with_the_connection_and_the_next_request_reconnects():
    client = Paired([b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nthe whole rest"])
    assert client.exchange("GET", "/", None, {}) == 200
    assert client.sock is None and client.buffer == b""


def test_a_closed_connection_is_an_error_the_caller_sees():
    client = Paired([])
    with pytest.raises(OSError):  # ConnectionError is one
        client.exchange("GET", "/", None, {})
