"""Static URLs are the manifest storage's hashed names, worked out once per name (core/storage.py)."""

import pytest
from django.test import override_settings

from core.storage import StaticStorage


def _storage(tmp_path):
    storage = StaticStorage(location=str(tmp_path), base_url="/static/")
    storage.hashed_files = {"css/a.css": "css/a.0123abcd.css"}
    return storage


def test_a_static_url_is_the_hashed_name_and_is_worked_out_once(tmp_path):
    storage = _storage(tmp_path)
    with override_settings(DEBUG=False):
        assert storage.url("css/a.css") == "/static/css/a.0123abcd.css"
        storage.hashed_files["css/a.css"] = "css/a.ffff0000.css"  # the manifest does not change while serving
        assert storage.url("css/a.css") == "/static/css/a.0123abcd.css"
        assert storage.url("css/a.css", force=True) == "/static/css/a.ffff0000.css"


def test_a_missing_static_file_is_refused_every_time(tmp_path):
    storage = _storage(tmp_path)
    with override_settings(DEBUG=False):
        for _ in range(2):
            with pytest.raises(ValueError):
                storage.url("css/missing.css")

