import io

import pytest
from django.core.management import CommandError, call_command

from settlement.keys import institution_for_key
from settlement.models import ApiKey, Institution


def _run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_issue_api_key_creates_the_institution_and_prints_the_key_last(db):
    out = _run("issue_api_key", "H32030200091", "--name", "徐州市中心医院")
    key = out.strip().splitlines()[-1]
    institution = Institution.objects.get(fixmedins_code="H32030200091")
    assert institution.region_id == "320300" and institution.name == "徐州市中心医院"
    assert institution_for_key(key) == institution
    stored = ApiKey.objects.get()
    assert key not in stored.key_hash and stored.key_hash != key and len(stored.key_hash) == 64


def test_issue_api_key_refuses_a_bad_code_or_region(db):
    with pytest.raises(CommandError):
        _run("issue_api_key", "BAD")
    with pytest.raises(CommandError):
        _run("issue_api_key", "H99999900001")
