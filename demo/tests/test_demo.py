import pytest

from demo import data as demo
from sharing.models import Binding


@pytest.mark.django_db
def test_loads_demo_bindings_in_every_status_once():
    persons = demo.load()
    statuses = set(Binding.objects.values_list("status", flat=True))
    assert statuses == {s.value for s in Binding.Status}
    count = Binding.objects.count()
    demo.load()
    assert Binding.objects.count() == count
    sun = Binding.objects.get(authorizer=persons["beijing_worker"])
    assert sun.status == "active" and sun.member == persons["beijing_father"]
    assert Binding.objects.get(authorizer=persons["zero_worker"]).member == persons["zero_mother"]
    assert Binding.objects.get(authorizer=persons["worker"], status="awaiting_consent").member == persons["spouse"]


@pytest.mark.django_db
def test_the_demo_expired_request_was_signed_seven_days_before_its_deadline():
    import datetime

    from sharing.selectors import status_reason

    demo.load()
    expired = Binding.objects.get(status="expired")
    assert expired.consent_deadline - expired.signed_at == datetime.timedelta(days=7)
    assert "7" in str(status_reason(expired).message)


@pytest.mark.django_db
def test_the_demo_gives_officials_refusals_in_every_channel_once(client):
    from accounts.models import User
    from audit.models import RefusalEntry

    demo.load()
    count = RefusalEntry.objects.count()
    channels = set(RefusalEntry.objects.values_list("channel", flat=True))
    assert channels == {"wizard", "hall", "api", "selfcheck", "money"}
    demo.load()
    assert RefusalEntry.objects.count() == count
    for username, visible_codes in [("official_xz", {"RELATION_NOT_ALLOWED", "OUTSIDE_HALL_SCOPE", "PREMIUM_PAST_DUE"}),
                                    ("official_js", {"AUTHORIZER_NOT_ENROLLED"}), ("admin", {"PATIENT_NOT_FOUND"})]:
        client.force_login(User.objects.get(username=username))
        response = client.get("/admin/statistics/")
        codes = {row[0] for row in next(t for t in response.context["tables"] if t.key == "top_refusals").rows}
        assert visible_codes <= codes, username
        if username == "official_xz":
            assert not {"AUTHORIZER_NOT_ENROLLED", "QUOTA_OVER_BALANCE"} & codes  # 南京's, 北京's
        assert any(t.rows for t in response.context["tables"] if t.key == "bindings_by_relation")
        if username in ("official_xz", "admin"):  # the demo's settlements are in 徐州
            assert any(t.rows for t in response.context["tables"] if t.key == "money_shared"), username


def test_the_demo_has_a_family_request_for_the_counter_and_keeps_its_answer(db):
    from demo import data as demo
    from family.models import FamilyMembership

    persons = demo.load()
    request = FamilyMembership.objects.get(holder=persons["worker"], member=persons["mother"])
    assert request.status == "awaiting_consent"
    FamilyMembership.objects.filter(pk=request.pk).update(status="active")
    demo.load()
    assert FamilyMembership.objects.filter(holder=persons["worker"], member=persons["mother"]).count() == 1


def test_the_demo_has_a_cross_province_quota_granted_partly_used_and_topped_up(db):
    from decimal import Decimal

    from ledger.models import Reserve
    from settlement.models import Payment
    from sharing.reserves import quota_summary

    persons = demo.load()
    sun = Binding.objects.get(authorizer=persons["beijing_worker"])
    assert quota_summary(sun) == {"granted": Decimal("700.00"), "used": Decimal("120.00"),
                                  "left": Decimal("580.00"), "closed": False}
    assert Payment.objects.get(member=persons["beijing_father"]).source == "quota"
    demo.load()
    assert Reserve.objects.get(binding_ref=sun.pk).balance == Decimal("580.00")


def test_the_demo_has_premium_dues_that_zhang_wei_can_pay(db):
    from registry.models import PremiumDue
    from sharing.premiums import premium_check

    persons = demo.load()
    resident = PremiumDue.objects.get(person=persons["child"], kind="resident")
    ltc = PremiumDue.objects.get(person=persons["mother"], kind="ltc")
    assert premium_check(payer=persons["worker"], due=resident, relation="child") == []
    assert premium_check(payer=persons["worker"], due=ltc, relation="parent") == []
    demo.load()
    assert PremiumDue.objects.count() == 2
