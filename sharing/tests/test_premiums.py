"""Paying a relative's premium from the personal account (rules.md, "Premiums"): through the real service and the
pages, every refusal with its reason, exactly once even when submitted twice at the same moment."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from ledger.models import LedgerEntry, PersonalAccount
from notifications.models import Notification
from registry.models import PremiumDue
from sharing.changes import BindingRefused
from sharing.models import PremiumPayment
from sharing.premiums import premium_pay

PASSWORD = "Correct-Horse-42"


@pytest.fixture
def son(make_citizen):
    """孙立 in Beijing, whose policy lets a personal account pay close relatives' premiums (2026)."""
    return make_citizen(name="孙立", birth=datetime.date(1980, 5, 5), address="110105", region="110000",
                        balance="2000.00", mobile="13800000011")


@pytest.fixture
def daughter(make_person):
    """Not enrolled yet: paying her premium is how she enrolls."""
    return make_person(name="孙小米", birth=datetime.date(2010, 1, 1), address="110105", region="110000",
                       insutype="390", status="ended", sex="F")


def due_for(person, kind="resident", amount="400.00", days=30, year=2027):
    return PremiumDue.objects.create(person=person, kind=kind, year=year, amount=Decimal(amount),
                                     region_id=person.region_id,
                                     due_date=timezone.localdate() + datetime.timedelta(days=days))


def balance(user):
    return PersonalAccount.objects.get(person=user.person).balance


def codes(refused):
    return [r.code for r in refused.value.reasons]


def test_pays_a_childs_premium_once_with_one_ledger_entry_and_tells_both(son, daughter):
    due = due_for(daughter)
    payment = premium_pay(payer=son.person, due=due, relation="child", actor=son)
    assert payment.reference.startswith("JF") and payment.amount == Decimal("400.00")
    assert balance(son) == Decimal("1600.00")
    assert list(LedgerEntry.objects.filter(kind="premium").values_list("amount", flat=True)) == [Decimal("-400.00")]
    assert AuditEvent.objects.filter(event="premium.paid", subject_id=str(payment.pk)).exists()
    assert Notification.objects.filter(recipient=son.person).exists()
    assert Notification.objects.filter(recipient=daughter).exists()
    call_command("verify_ledger")


def test_refuses_a_due_already_paid_by_the_payer_or_by_someone_else(son, daughter, make_citizen):
    due = due_for(daughter)
    premium_pay(payer=son.person, due=due, relation="child", actor=son)
    with pytest.raises(BindingRefused) as refused:
        premium_pay(payer=son.person, due=due, relation="child", actor=son)
    assert codes(refused) == ["PREMIUM_ALREADY_PAID"]
    mother = make_citizen(name="李芳", birth=datetime.date(1982, 1, 1), address="110105", region="110000",
                          balance="900.00", sex="F")
    with pytest.raises(BindingRefused) as refused:
        premium_pay(payer=mother.person, due=due, relation="child", actor=mother)
    assert codes(refused) == ["PREMIUM_PAID_BY_OTHER"]
    assert PremiumPayment.objects.count() == 1 and balance(mother) == Decimal("900.00")


def test_refuses_a_due_past_its_due_date_and_a_balance_too_low(son, daughter):
    with pytest.raises(BindingRefused) as refused:
        premium_pay(payer=son.person, due=due_for(daughter, days=-1), relation="child", actor=son)
    assert codes(refused) == ["PREMIUM_PAST_DUE"]
    with pytest.raises(BindingRefused) as refused:
        premium_pay(payer=son.person, due=due_for(daughter, kind="ltc", amount="2000.01"), relation="child",
                    actor=son)
    assert codes(refused) == ["PREMIUM_BALANCE_TOO_LOW"]
    assert balance(son) == Decimal("2000.00") and not PremiumPayment.objects.exists()


def test_refuses_where_the_policy_does_not_allow_and_a_relationship_it_does_not_allow(alice, charlie, son,
                                                                                     make_person):
    """Jiangsu follows the national default (no premiums); parents-in-law are never allowed."""
    with pytest.raises(BindingRefused) as refused:
        premium_pay(payer=alice.person, due=due_for(charlie), relation="child", actor=alice)
    assert "PREMIUM_NOT_ALLOWED" in codes(refused)
    in_law = make_person(name="李老", birth=datetime.date(1950, 1, 1), address="110105", region="110000",
                         insutype="390")
    with pytest.raises(BindingRefused) as refused:
        premium_pay(payer=son.person, due=due_for(in_law), relation="parent_in_law", actor=son)
    assert codes(refused) == ["RELATION_NOT_ALLOWED"]


def test_an_own_premium_may_be_paid_where_the_policy_allows(son):
    payment = premium_pay(payer=son.person, due=due_for(son.person, kind="ltc", amount="120.00"), relation="self",
                          actor=son)
    assert payment.relation == "self" and balance(son) == Decimal("1880.00")


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_the_same_moment_pay_once(son, daughter):
    due = due_for(daughter)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            premium_pay(payer=son.person, due=due, relation="child", actor=son)
            outcomes.append("paid")
        except BindingRefused as refused:
            outcomes.append(refused.reasons[0].code)
        except Exception as exc:  # noqa: BLE001
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["PREMIUM_ALREADY_PAID", "paid"]
    assert PremiumPayment.objects.count() == 1 and balance(son) == Decimal("1600.00")


def test_the_pages_check_answers_then_password_then_receipt(client, son, daughter):
    due = due_for(daughter)
    client.force_login(son)
    response = client.post(reverse("sharing:premiums"), {"relation": "child", "name": "孙小米",
                                                          "certno": daughter.certno})
    assert response.status_code == 200 and [d.pk for d in response.context["dues"]] == [due.pk]
    confirm = reverse("sharing:premium_confirm", args=[due.pk])
    page = client.get(confirm)
    assert page.status_code == 200 and "not-refundable" in page.text and page.context["refusals"] == []
    wrong = client.post(confirm, {"password": "nope"})
    assert "password" in wrong.context["form"].errors and not PremiumPayment.objects.exists()
    done = client.post(confirm, {"password": PASSWORD})
    payment = PremiumPayment.objects.get()
    assert done.status_code == 302 and done.url == reverse("sharing:premium_receipt", args=[payment.pk])
    receipt = client.get(done.url)
    assert payment.reference in receipt.text
    again = client.get(confirm)
    assert [r.code for r in again.context["refusals"]] == ["PREMIUM_ALREADY_PAID"]
    assert "not-refundable" not in again.text


def test_a_wrong_name_is_refused_and_a_due_not_chosen_is_404(client, son, daughter, make_person):
    other = due_for(make_person(name="陌生人", birth=datetime.date(1990, 1, 1), address="110105", region="110000",
                                insutype="390"))
    client.force_login(son)
    response = client.post(reverse("sharing:premiums"), {"relation": "child", "name": "别人",
                                                          "certno": daughter.certno})
    assert "MEMBER_IDENTITY_MISMATCH" in response.text
    assert client.get(reverse("sharing:premium_confirm", args=[other.pk])).status_code == 404


def test_the_receipt_is_for_the_payer_and_the_member_only(client, son, daughter, bob):
    payment = premium_pay(payer=son.person, due=due_for(daughter), relation="child", actor=son)
    client.force_login(bob)
    assert client.get(reverse("sharing:premium_receipt", args=[payment.pk])).status_code == 404
    client.force_login(son)
    assert client.get(reverse("sharing:premium_receipt", args=[payment.pk])).status_code == 200


def test_officials_see_premium_payments_in_the_admin_scoped_to_the_dues_region(client, son, daughter, make_person):
    from django.contrib.auth.models import Permission

    from accounts.models import User

    in_beijing = premium_pay(payer=son.person, due=due_for(daughter), relation="child", actor=son)
    hebei_father = make_person(name="孙德明", birth=datetime.date(1952, 3, 1), address="130102", region="130100",
                               insutype="390")
    in_hebei = premium_pay(payer=son.person, due=due_for(hebei_father), relation="parent", actor=son)

    def official(**scope):
        user = User.objects.create_user(username=f"off_{list(scope.values())}", password="x", role="official",
                                        is_staff=True, **scope)
        user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["sharing", "registry"],
                                                            codename__startswith="view_"))
        return user

    client.force_login(official(scope_region_id="130100"))
    listing = client.get("/admin/sharing/premiumpayment/")
    assert listing.status_code == 200
    assert in_hebei.reference in listing.text and in_beijing.reference not in listing.text
    client.force_login(official(scope_province_id="11"))
    listing = client.get("/admin/sharing/premiumpayment/")
    assert in_beijing.reference in listing.text and in_hebei.reference not in listing.text
    assert client.get("/admin/registry/premiumdue/").status_code == 200


def test_verify_ledger_finds_a_premium_payment_that_differs_from_its_entry(son, daughter):
    from django.core.management.base import CommandError

    payment = premium_pay(payer=son.person, due=due_for(daughter), relation="child", actor=son)
    call_command("verify_ledger")
    PremiumPayment.objects.filter(pk=payment.pk).update(amount=Decimal("1.00"))
    with pytest.raises(CommandError):
        call_command("verify_ledger")


def test_the_own_premium_is_found_without_a_name_or_id_number(client, son):
    own = due_for(son.person, kind="ltc", amount="120.00")
    client.force_login(son)
    response = client.post(reverse("sharing:premiums"), {"relation": "self"})
    assert [d.pk for d in response.context["dues"]] == [own.pk]
    missing = client.post(reverse("sharing:premiums"), {"relation": "child"})
    assert {"name", "certno"} <= set(missing.context["form"].errors)
