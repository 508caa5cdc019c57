
from django.urls import reverse

from accounts.models import User


def _login(client, person):
    client.force_login(User.objects.get(person=person))


def test_anonymous_visitors_get_the_rules_in_general(client, db):
    response = client.get(reverse("selfcheck:start"))
    assert response.status_code == 200
    assert 'data-code="FAMILY_ACCOUNT_ONLY"' in response.text and 'data-code="SHARED_BALANCE_ZERO"' in response.text
    assert 'name="situation"' not in response.text
    assert "%(" not in response.text  # placeholders are filled in with general words


def test_anonymous_visitors_cannot_run_the_personal_check(client, db):
    response = client.post(reverse("selfcheck:check"), {"situation": "cannot_bind"})
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_staff_are_sent_to_the_hall_workspace_from_the_check(client, hall_staff):
    client.force_login(hall_staff)
    response = client.post(reverse("selfcheck:check"), {"situation": "cannot_bind"})
    assert response.status_code == 403 and reverse("hall:workspace") in response.text


def test_a_get_of_the_check_goes_back_to_the_form(client, alice):
    """After logging in again the browser is sent to the check by GET: back to the form, never a bare 405."""
    client.force_login(alice)
    response = client.get(reverse("selfcheck:check"))
    assert response.status_code == 302 and response.url == reverse("selfcheck:start")


def test_the_form_offers_people_from_bindings_and_family_account(client, people):
    _login(client, people["spouse"])
    response = client.get(reverse("selfcheck:start"))
    assert response.status_code == 200 and str(people["father_in_law"].pk) in response.text


def test_picking_the_father_from_the_family_account(client, people):
    _login(client, people["spouse"])
    response = client.post(reverse("selfcheck:check"), {"situation": "member_cannot_use",
                                                        "person": str(people["father_in_law"].pk), "relation": "parent"})
    assert response.status_code == 200
    found = set(response.context["result"].codes)
    assert found == {"NOT_BOUND", "FAMILY_ACCOUNT_ONLY", "CROSS_PROVINCE_NOT_ALLOWED"}
    assert 'data-code="FAMILY_ACCOUNT_ONLY"' in response.text and reverse("guide:family_vs_sharing") in response.text


def test_nobody_outside_the_circle_can_be_picked_by_id(client, people, dave):
    _login(client, people["spouse"])
    response = client.post(reverse("selfcheck:check"), {"situation": "member_cannot_use",
                                                        "person": str(dave.person.pk)})
    assert response.status_code == 200 and "result" not in response.context and response.context["form"].errors


def test_naming_someone_by_name_and_id_number(client, people):
    """The brother is not bound with 张伟: only 张伟's own side (his policy on siblings), nothing of the brother's."""
    _login(client, people["worker"])
    response = client.post(reverse("selfcheck:check"), {
        "situation": "cannot_bind", "name": people["brother"].name, "certno": people["brother"].certno,
        "relation": "sibling"})
    assert set(response.context["result"].codes) == {"RELATION_NOT_ALLOWED"}
    assert response.context["result"].outside_circle and "outside-circle" in response.text


def test_a_wrong_name_gives_member_identity_mismatch(client, people):
    _login(client, people["worker"])
    response = client.post(reverse("selfcheck:check"), {
        "situation": "cannot_bind", "name": "不对", "certno": people["brother"].certno})
    assert response.status_code == 200 and "MEMBER_IDENTITY_MISMATCH" in response.text
    assert people["brother"].certno in response.text  # what the user typed is kept


def test_a_zero_balance_authorizer_is_told_so(client, people, bind):
    bind(people["zero_worker"], people["zero_mother"], relation="parent")
    _login(client, people["zero_worker"])
    response = client.post(reverse("selfcheck:check"), {"situation": "member_cannot_use"})
    assert set(response.context["result"].codes) == {"SHARED_BALANCE_ZERO"}
    assert "¥0.00" in response.text


def test_nothing_wrong_says_so_and_shows_the_payment(client, people, bind):
    from decimal import Decimal

    from sharing.quotas import quota_add

    binding = bind(people["beijing_worker"], people["beijing_father"], relation="parent")
    quota_add(binding=binding, amount=Decimal("100.00"), actor=None)  # 2026: cross-province through a quota
    _login(client, people["beijing_worker"])
    response = client.post(reverse("selfcheck:check"), {"situation": "member_cannot_use", "amount": "86.50"})
    assert response.context["result"].ok
    assert "payment-preview" in response.text and "86.50" in response.text


def test_an_exhausted_quota_is_shown_with_its_next_step(client, people, bind):
    bind(people["beijing_worker"], people["beijing_father"], relation="parent")
    _login(client, people["beijing_worker"])
    response = client.post(reverse("selfcheck:check"), {"situation": "member_cannot_use"})
    assert set(response.context["result"].codes) == {"QUOTA_EXHAUSTED"}
    from django.utils import translation

    from sharing import reasons

    with translation.override("zh-hans"):  # the portal's default language
        next_step = str(reasons.QUOTA_EXHAUSTED.next_step)
    assert "QUOTA_EXHAUSTED" in response.text and next_step in response.text


def test_the_check_stays_within_a_query_budget(client, people, bind, django_assert_max_num_queries):
    for key in ["child", "father", "mother"]:
        bind(people["worker"], people[key], relation="child" if key == "child" else "parent")
    _login(client, people["worker"])
    with django_assert_max_num_queries(80):
        assert client.post(reverse("selfcheck:check"), {"situation": "member_cannot_use"}).status_code == 200


def test_failure_messages_link_to_the_self_check(client, alice, charlie):
    client.force_login(alice)
    response = client.post(reverse("family:add"), {"relation": "child", "member_name": "别人",
                                                   "member_certno": charlie.certno})
    from sharing.reasons import MEMBER_IDENTITY_MISMATCH

    # The refusal reads as its sentence (the code stays out of the page's text).
    assert str(MEMBER_IDENTITY_MISMATCH.message) in response.text and "MEMBER_IDENTITY_MISMATCH" not in response.text
    # The form error summary carries the reason; pages that show partials/reason.html link to the self-check.
    from django.template.loader import render_to_string

    from sharing.reasons import NOT_BOUND

    assert reverse("selfcheck:start") in render_to_string("partials/reason.html", {"reason": NOT_BOUND})


def test_home_links_to_the_self_check(client, db):
    assert reverse("selfcheck:start") in client.get(reverse("home")).text




def test_zhao_mins_lapsed_enrollment_is_one_finding_with_her_region_and_enrollment_advice(client, db):
    from demo import data

    demo = data.load()
    _login(client, demo["suspended_worker"])
    response = client.post(reverse("selfcheck:check"), {"situation": "member_cannot_use"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "%(" not in page
    assert response.context["result"].codes.count("AUTHORIZER_NOT_ENROLLED") == 1
    finding = next(f for f in response.context["result"].findings if f.code == "AUTHORIZER_NOT_ENROLLED")
    assert demo["suspended_worker"].region.name in str(finding.reason.next_step)
    # Restoring an enrollment needs no household register or marriage certificate.
    assert all("户口簿" not in line and "结婚证" not in line for line in finding.extra)
