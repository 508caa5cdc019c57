"""Reference data that migrations seed, put back after a transactional test's flush.

Transactional tests (live_server, transactional_db, django_db(transaction=True)) end with a flush that empties every
table, including what data migrations loaded (provinces, pooling regions, sharing policies, commitment letters).
The root conftest runs `reseed_all()` right after each such flush (its `pytest_runtest_teardown` hook).
An app with more seeded reference data adds its loader to RESEEDERS (idempotent, no arguments).
"""


def _seed_registry():
    from django.apps import apps

    from registry import seed

    seed.load(apps)


def _seed_sharing():
    from sharing import seed

    seed.load()  # commitment letter v1


RESEEDERS = [_seed_registry, _seed_sharing]


def reseed_all():
    for load in RESEEDERS:
        load()


def is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return ("transactional_db" in request.fixturenames or "live_server" in request.fixturenames
            or bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))))
