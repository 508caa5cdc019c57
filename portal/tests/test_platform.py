import sys

import django


def test_runs_on_django_61_and_python_312_or_newer():
    """Every pinned library (crispy-forms, axes, whitenoise…) is exercised by this suite on this Django."""
    assert django.VERSION[:2] == (6, 1)
    assert sys.version_info >= (3, 12)


def test_uses_postgresql(db):
    from django.db import connection

    assert connection.vendor == "postgresql"
