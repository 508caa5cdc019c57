"""The HTTP gateway sender against a throw-away HTTP stub started by the test."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from notifications.sms import HttpGatewaySender, SmsDeliveryFailed


class Stub:
    """Answers with the statuses given, in order (then 200); `delay` seconds before each answer."""

    def __init__(self, statuses=(), delay=0.0):
        self.statuses, self.delay, self.requests = list(statuses), delay, []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                stub.requests.append((dict(self.headers), json.loads(self.rfile.read(length))))
                time.sleep(stub.delay)
                status = stub.statuses.pop(0) if stub.statuses else 200
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    stubs = []

    def start(statuses=(), delay=0.0):
        stub = Stub(statuses, delay)
        stubs.append(stub)
        settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN = stub.url, "gw-secret-token"
        settings.SMS_GATEWAY_TIMEOUT, settings.SMS_GATEWAY_RETRIES, settings.SMS_GATEWAY_BACKOFF = 0.5, 2, 0.01
        return stub

    yield start
    for stub in stubs:
        stub.close()


def test_the_sender_posts_the_message_with_the_credentials_from_the_environment(gateway):
    stub = gateway()
    HttpGatewaySender().send("13800000001", "【共济通】验证码 123456")
    headers, body = stub.requests[0]
    assert body == {"mobile": "13800000001", "text": "【共济通】验证码 123456"}
    assert headers["Authorization"] == "Bearer gw-secret-token"


def test_a_failing_gateway_is_retried_with_back_off_until_it_accepts(gateway):
    stub = gateway(statuses=[503, 429])
    HttpGatewaySender().send("13800000001", "hello")
    assert len(stub.requests) == 3


def test_a_slow_gateway_times_out_and_is_retried_then_reported(gateway):
    stub = gateway(delay=1.0)
    started = time.monotonic()
    with pytest.raises(SmsDeliveryFailed, match="3 tries"):
        HttpGatewaySender().send("13800000001", "hello")
    assert time.monotonic() - started < 3 and len(stub.requests) >= 1


def test_a_refused_message_is_not_retried(gateway):
    stub = gateway(statuses=[400])
    with pytest.raises(SmsDeliveryFailed, match="HTTP 400"):
        HttpGatewaySender().send("13800000001", "hello")
    assert len(stub.requests) == 1


def test_an_unreachable_gateway_fails_after_the_retries(gateway, settings):
    stub = gateway()
    stub.close()
    with pytest.raises(SmsDeliveryFailed, match="unreachable"):
        HttpGatewaySender().send("13800000001", "hello")
