"""The refusal log: each channel that refuses records reason codes, channel, region and time, never personal data."""

import pytest
from django.urls import reverse

from audit.models import RefusalEntry
from audit.refusals import refusal_log
from core.reasons import Reason


def logged(channel):
    return list(RefusalEntry.objects.filter(channel=channel).values_list("code", "region_id"))


def test_the_log_keeps_codes_channel_and_region_only(db):
    assert refusal_log([Reason("RELATION_NOT_ALLOWED", "x"), "CROSS_PROVINCE_NOT_ALLOWED", "RELATION_NOT_ALLOWED"],
                       channel="wizard", region="320300") == 2
    assert sorted(logged("wizard")) == [("CROSS_PROVINCE_NOT_ALLOWED", "320300"), ("RELATION_NOT_ALLOWED", "320300")]
    assert {f.name for f in RefusalEntry._meta.fields} == {"id", "code", "channel", "region", "created_at"}
    assert refusal_log([], channel="hall", region=None) == 0 and not logged("hall")
    with pytest.raises(ValueError):
        refusal_log(["X"], channel="sms", region=None)


def test_the_wizard_logs_its_refusals(client, alice):
    client.force_login(alice)
    client.post(reverse("sharing:bind_relation"), {"relation": "parent_in_law"})
    assert logged("wizard") == [("RELATION_NOT_ALLOWED", "320300")]


def test_the_settlement_api_logs_its_refusals(api, db):
    assert api.get("patients/11010519491231002X")[1]["code"] == "PATIENT_NOT_FOUND"
    assert logged("api") == [("PATIENT_NOT_FOUND", "320300")]


def test_the_hall_logs_a_lookup_outside_its_province(client, hall_staff, make_person):
    beijing = make_person(name="北京人", address="110105", region="110000")
    client.force_login(hall_staff)
    client.post("/hall/", {"certno": beijing.certno, "documents": ["id_card"]})
    assert logged("hall") == [("OUTSIDE_HALL_SCOPE", "320300")]
