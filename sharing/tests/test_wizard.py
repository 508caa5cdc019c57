"""The binding wizard, page by page, through the real forms."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sharing.models import Binding
from sharing.tests.pngs import data_url, png


def walk_to_sign(client, member, relation="child"):
    assert client.post(reverse("sharing:bind_relation"), {"relation": relation}).status_code == 302
    response = client.post(reverse("sharing:bind_member"), {"name": member.name, "certno": member.certno})
    assert response.status_code == 302, response.content.decode()[:3000]
    if response.url == reverse("sharing:bind_dates"):
        response = client.post(reverse("sharing:bind_dates"), {"valid_from": timezone.localdate().isoformat()})
        assert response.url == reverse("sharing:bind_letter")
    assert client.post(reverse("sharing:bind_letter"), {"read": "on"}).url == reverse("sharing:bind_sign")


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


@pytest.mark.django_db
def test_binds_a_child_with_a_typed_signature(logged_in, alice, charlie):
    logged_in.get(reverse("sharing:bind_start"))
    walk_to_sign(logged_in, charlie)
    response = logged_in.post(reverse("sharing:bind_sign"), {"method": "typed", "typed_name": "张丽"})
    assert response.url == reverse("sharing:bind_check")
    assert logged_in.get(response.url).status_code == 200
    response = logged_in.post(reverse("sharing:bind_check"), HTTP_USER_AGENT="pytest-browser", REMOTE_ADDR="10.1.2.3")
    binding = Binding.objects.get(authorizer=alice.person)
    assert response.url == reverse("sharing:bind_done", args=[binding.pk])
    assert binding.status == "active" and binding.signature_method == "typed" and binding.typed_name == "张丽"
    assert binding.valid_from == timezone.localdate()
    assert binding.signed_ip == "10.1.2.3" and binding.signed_user_agent == "pytest-browser"
    assert binding.channel == "online" and binding.staff is None
    done = logged_in.get(response.url)
    assert binding.reference in done.content.decode()
    assert "bind_wizard" not in logged_in.session


@pytest.mark.django_db
def test_binds_with_a_drawn_signature(logged_in, alice, charlie):
    walk_to_sign(logged_in, charlie)
    response = logged_in.post(reverse("sharing:bind_sign"), {"method": "drawn", "signature": data_url(png())})
    assert response.url == reverse("sharing:bind_check")
    logged_in.post(reverse("sharing:bind_check"))
    binding = Binding.objects.get(authorizer=alice.person)
    assert binding.signature_method == "drawn" and bytes(binding.signature_image) == png()
    assert binding.signature_mime == "image/png"
    image = logged_in.get(reverse("sharing:signature_image", args=[binding.pk]))
    assert image["Content-Type"] == "image/png" and image.content == png()


@pytest.mark.django_db
def test_refuses_a_drawn_signature_that_is_not_an_image(logged_in, charlie):
    walk_to_sign(logged_in, charlie)
    response = logged_in.post(reverse("sharing:bind_sign"), {"method": "drawn", "signature": "data:image/png;base64,AAAA"})
    assert response.status_code == 200 and response.context["form"].has_error("signature", "signature_invalid")


@pytest.mark.django_db
def test_refuses_a_typed_name_that_is_not_mine_and_keeps_it(logged_in, charlie):
    walk_to_sign(logged_in, charlie)
    response = logged_in.post(reverse("sharing:bind_sign"), {"method": "typed", "typed_name": "张三"})
    assert response.status_code == 200 and response.context["form"].has_error("typed_name")
    assert 'value="张三"' in response.content.decode()


@pytest.mark.django_db
def test_explains_every_reason_at_the_member_step_and_keeps_what_was_typed(logged_in, make_person):
    stranger = make_person(name="外省人", address="340102", region="340100", birth=datetime.date(1999, 1, 1),
                           status="ended", insutype="390")
    logged_in.post(reverse("sharing:bind_relation"), {"relation": "parent"})
    response = logged_in.post(reverse("sharing:bind_member"), {"name": stranger.name, "certno": stranger.certno})
    assert response.status_code == 200
    assert {r.code for r in response.context["refusals"]} == {
        "MEMBER_NOT_ENROLLED", "CROSS_PROVINCE_NOT_ALLOWED", "RELATION_IMPLAUSIBLE"}
    html = response.content.decode()
    assert "CROSS_PROVINCE_NOT_ALLOWED" in html and stranger.certno in html and "外省人" in html
    # Nothing further is reachable.
    assert logged_in.get(reverse("sharing:bind_letter")).url == reverse("sharing:bind_member")


@pytest.mark.django_db
def test_refuses_an_unknown_member(logged_in, charlie):
    logged_in.post(reverse("sharing:bind_relation"), {"relation": "child"})
    response = logged_in.post(reverse("sharing:bind_member"), {"name": "王小山", "certno": charlie.certno})
    assert [r.code for r in response.context["refusals"]] == ["MEMBER_IDENTITY_MISMATCH"]


@pytest.mark.django_db
def test_checks_the_id_number_format(logged_in):
    logged_in.post(reverse("sharing:bind_relation"), {"relation": "child"})
    response = logged_in.post(reverse("sharing:bind_member"), {"name": "王小川", "certno": "123"})
    assert response.context["form"].has_error("certno")
    assert 'id="error-summary"' in response.content.decode()


@pytest.mark.django_db
def test_offers_only_the_relationships_the_policy_in_force_allows_and_names_the_others(logged_in):
    """alice is insured in 徐州: the Jiangsu policy allows parents, spouse and children only."""
    response = logged_in.get(reverse("sharing:bind_relation"))
    offered = [value for value, _label in response.context["form"].fields["relation"].widget.choices]
    assert offered == ["child", "parent", "spouse"]
    page = response.content.decode()
    assert 'value="parent_in_law"' not in page and 'value="sibling"' not in page
    assert "江苏省家庭共济政策" in page
    assert all(label in page for label in ("兄弟姐妹", "岳父母/公婆")), "the others are named with their reason"


@pytest.mark.django_db
def test_a_relation_not_offered_but_posted_is_refused_by_the_engine_at_the_first_step(logged_in):
    """A relationship the policy refuses is not offered; posted all the same, the engine refuses it with its own
    explanation (never the parents-in-law wording for another relationship), and the wizard goes no further."""
    response = logged_in.post(reverse("sharing:bind_relation"), {"relation": "sibling"})
    assert response.status_code == 200
    assert [r.code for r in response.context["refusals"]] == ["RELATION_NOT_ALLOWED"]
    assert "江苏省家庭共济政策" in str(response.context["refusals"][0].message)
    assert logged_in.get(reverse("sharing:bind_member")).status_code == 302  # not past the first step


@pytest.mark.django_db
def test_a_close_relatives_policy_offers_siblings_and_grandparents(client, make_citizen):
    """Beijing runs the 2026 rules (close relatives): siblings and grandparents are offered there."""
    client.force_login(make_citizen(address="110105", region="110000", balance="100.00"))
    response = client.get(reverse("sharing:bind_relation"))
    offered = [value for value, _label in response.context["form"].fields["relation"].widget.choices]
    assert offered == ["child", "parent", "spouse", "sibling", "grandparent", "grandchild"]


@pytest.mark.django_db
def test_refuses_a_resident_at_the_first_step(client, make_citizen):
    client.force_login(make_citizen(insutype="390"))
    response = client.post(reverse("sharing:bind_relation"), {"relation": "child"})
    assert [r.code for r in response.context["refusals"]] == ["AUTHORIZER_NOT_EMPLOYEE"]


@pytest.mark.django_db
def test_refuses_a_start_date_in_the_past(logged_in, charlie):
    logged_in.post(reverse("sharing:bind_relation"), {"relation": "child"})
    logged_in.post(reverse("sharing:bind_member"), {"name": charlie.name, "certno": charlie.certno})
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = logged_in.post(reverse("sharing:bind_dates"), {"valid_from": yesterday.isoformat()})
    assert response.status_code == 200 and response.context["form"].has_error("valid_from")


@pytest.mark.django_db
def test_skips_dates_where_the_policy_has_none(client, make_citizen, make_person):
    worker = make_citizen(address="130102", region="130100")
    child = make_person(address="130102", region="130100", birth=datetime.date(2012, 1, 1), insutype="390")
    client.force_login(worker)
    client.post(reverse("sharing:bind_relation"), {"relation": "child"})
    response = client.post(reverse("sharing:bind_member"), {"name": child.name, "certno": child.certno})
    assert response.url == reverse("sharing:bind_letter")


@pytest.mark.django_db
def test_sends_a_skipped_step_back_to_the_start(logged_in):
    assert logged_in.get(reverse("sharing:bind_check")).url == reverse("sharing:bind_relation")
    assert logged_in.get(reverse("sharing:bind_sign")).url == reverse("sharing:bind_relation")


@pytest.mark.django_db
def test_refuses_at_submit_what_became_impossible_meanwhile(logged_in, alice, charlie, bind):
    walk_to_sign(logged_in, charlie)
    logged_in.post(reverse("sharing:bind_sign"), {"method": "typed", "typed_name": "张丽"})
    bind(alice, charlie)  # e.g. in another tab
    response = logged_in.post(reverse("sharing:bind_check"))
    assert [r.code for r in response.context["refusals"]] == ["ALREADY_BOUND"]


@pytest.mark.django_db
def test_sends_a_spouse_request(logged_in, alice, bob):
    walk_to_sign(logged_in, bob.person, "spouse")
    logged_in.post(reverse("sharing:bind_sign"), {"method": "typed", "typed_name": "张丽"})
    logged_in.post(reverse("sharing:bind_check"))
    binding = Binding.objects.get(authorizer=alice.person)
    assert binding.status == "awaiting_consent"
    response = logged_in.get(reverse("sharing:bind_done", args=[binding.pk]))
    assert response.context["pending"].code == "SPOUSE_CONSENT_PENDING"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["bind_start", "bind_relation", "bind_member", "bind_dates", "bind_letter",
                                  "bind_sign", "bind_check"])
def test_sends_anonymous_to_login(client, name):
    response = client.get(reverse(f"sharing:{name}"))
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["bind_relation", "bind_member", "bind_check"])
def test_refuses_wrong_methods(logged_in, name):
    assert logged_in.put(reverse(f"sharing:{name}")).status_code == 405


@pytest.mark.django_db
def test_refuses_post_on_start(logged_in):
    assert logged_in.post(reverse("sharing:bind_start")).status_code == 405


@pytest.mark.django_db
def test_sends_staff_to_the_hall_workspace(client, hall_staff):
    client.force_login(hall_staff)
    response = client.get(reverse("sharing:bind_relation"))
    assert response.status_code == 403 and reverse("hall:workspace") in response.text


@pytest.mark.django_db
def test_shows_the_confirmation_only_to_the_authorizer(client, alice, charlie, dave, bind):
    binding = bind(alice, charlie)
    client.force_login(dave)
    assert client.get(reverse("sharing:bind_done", args=[binding.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["bind_relation"])
def test_renders_forms_with_a_csrf_token(logged_in, name):
    assert "csrfmiddlewaretoken" in logged_in.get(reverse(f"sharing:{name}")).content.decode()


@pytest.mark.django_db
def test_renders_every_form_page_with_a_csrf_token(logged_in, alice, charlie, bob, bind):
    walk_to_sign(logged_in, charlie)
    for name in ["bind_member", "bind_dates", "bind_letter", "bind_sign"]:
        assert "csrfmiddlewaretoken" in logged_in.get(reverse(f"sharing:{name}")).content.decode(), name
    child = bind(alice, charlie) if not Binding.objects.filter(member=charlie).exists() else None
    assert child is None or "csrfmiddlewaretoken" in logged_in.get(
        reverse("sharing:unbind", args=[child.pk])).content.decode()


@pytest.mark.django_db
def test_the_letter_shows_the_member_it_is_signed_for(logged_in, charlie):
    """The letter says "授权给下列家庭成员": the member, masked ID and relationship are listed with it (all of them
    are in the signed payload that is hashed)."""
    assert logged_in.post(reverse("sharing:bind_relation"), {"relation": "child"}).status_code == 302
    response = logged_in.post(reverse("sharing:bind_member"), {"name": charlie.name, "certno": charlie.certno})
    start = timezone.localdate()
    if response.url == reverse("sharing:bind_dates"):
        logged_in.post(reverse("sharing:bind_dates"), {"valid_from": start.isoformat(),
                                                       "valid_until": (start + datetime.timedelta(days=30)).isoformat()})
    response = logged_in.get(reverse("sharing:bind_letter"))
    assert response.status_code == 200
    text = response.content.decode()
    parties = text.split('class="letter-parties"', 1)[1].split("</section>", 1)[0]
    assert charlie.name in parties and charlie.masked_certno in parties and charlie.certno not in text
    if response.context["valid_from"]:
        assert start.isoformat() in parties
