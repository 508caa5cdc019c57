"""Probes for load balancers, and what the portal answers while its database is down."""

import socket
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


def _closed_port() -> int:
    """A local port nobody listens on: connecting to it is refused at once (a real failure, not a mock)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_refused():
    return mock.patch.dict(connection.settings_dict, {"HOST": "127.0.0.1", "PORT": str(_closed_port())})


@pytest.mark.django_db
def test_healthz_answers_without_any_database_query(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert len(queries) == 0


@pytest.mark.django_db
def test_readyz_is_ready_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


@pytest.mark.django_db
def test_readyz_answers_503_when_the_database_refuses_connections(client):
    with _database_refused():
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"]


@pytest.mark.django_db
def test_connections_carry_the_configured_statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"
    assert connection.settings_dict["OPTIONS"]["connect_timeout"] == 5


@pytest.mark.django_db(transaction=True)
def test_api_answers_json_503_with_retry_after_when_the_database_is_down(client):
    connection.close()
    with _database_refused():
        response = client.post("/api/v1/settlements", data={"request_id": "x"}, content_type="application/json",
                               headers={"Authorization": "Bearer gjt_0123456789ab_" + "s" * 43})
        connection.close()
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "SERVICE_UNAVAILABLE"
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db(transaction=True)
def test_citizen_page_shows_the_friendly_error_page_when_the_database_is_down(client, django_user_model):
    user = django_user_model.objects.create_user(username="official-x", password="pw-123456-long", is_superuser=True)
    client.force_login(user)
    connection.close()
    with _database_refused():
        response = client.get("/accounts/me/")
        connection.close()
    assert response.status_code == 503
    assert "系统繁忙" in response.content.decode()
    assert response["Retry-After"]


@pytest.mark.django_db(transaction=True)
def test_api_answers_json_503_when_a_statement_outlasts_the_statement_timeout(client):
    """A slow database: another session holds a lock the key lookup waits for; the statement timeout cancels it."""
    blocker = connection.get_new_connection(connection.get_connection_params())
    try:
        blocker.execute("BEGIN")
        blocker.execute("LOCK TABLE settlement_apikey IN ACCESS EXCLUSIVE MODE")
        connection.close()
        with mock.patch.dict(connection.settings_dict["OPTIONS"], {"options": "-c statement_timeout=300"}):
            response = client.post("/api/v1/settlements", data={"request_id": "x"}, content_type="application/json",
                                   headers={"Authorization": "Bearer gjt_0123456789ab_" + "s" * 43})
            connection.close()
    finally:
        blocker.rollback()
        blocker.close()
    assert response.status_code == 503
    assert response.json()["code"] == "SERVICE_UNAVAILABLE"
    assert response["Retry-After"]


@pytest.mark.django_db
def test_probes_answer_over_plain_http_while_pages_redirect_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/help/").status_code == 301
