"""Gaps of the audit trail closed: browsing ledger entries is opening that citizen's ledger, older rows show the
binding's GJ reference (display only), and the actor filter lists every actor in scope."""

import pytest
from django.contrib.auth.models import Permission

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from ledger.models import LedgerEntry, PersonalAccount


@pytest.fixture
def official(db):
    def make(**scope):
        user = User.objects.create_user(username=f"off_{list(scope.values())}", password="x", role="official",
                                        is_staff=True, **scope)
        user.user_permissions.set(Permission.objects.filter(codename__in=["view_auditevent", "view_ledgerentry"]))
        return user

    return make


def test_browsing_ledger_entries_records_opening_each_citizens_ledger_once_per_page_view(
        client, official, alice, dave):
    user = official(scope_region_id="320300")
    client.force_login(user)
    alice_account = PersonalAccount.objects.get(person=alice.person)
    assert LedgerEntry.objects.filter(account=alice_account).count() >= 1
    assert LedgerEntry.objects.filter(account__person=dave.person).exists()  # 南京: outside the scope

    assert client.get("/admin/ledger/ledgerentry/").status_code == 200
    opened = AuditEvent.objects.filter(event="admin.opened", actor=user)
    assert list(opened.values_list("subject_type", "subject_id", "region_id")) == [
        ("ledger.personalaccount", str(alice_account.pk), "320300")]

    assert client.get("/admin/ledger/ledgerentry/").status_code == 200
    assert opened.count() == 2  # one more page view, one more row


def test_an_older_row_without_a_label_shows_the_bindings_gj_reference_and_stays_unchanged(
        client, official, alice, charlie, bind):
    binding = bind(alice, charlie, "child")
    # An event only this older row has, so that the page lists it alone.
    older = audit_record(actor=None, subject=("sharing.binding", binding.pk), event="binding.renewed",
                         region="320300")
    assert older.subject_label == ""
    client.force_login(official(scope_region_id="320300"))
    response = client.get("/admin/audit/auditevent/", {"event": "binding.renewed"})
    assert [e.pk for e in response.context["cl"].result_list] == [older.pk]
    assert binding.reference in response.content.decode()
    older.refresh_from_db()
    assert older.subject_label == ""  # the trail is append-only: only the display looks the reference up


def test_the_actor_filter_lists_every_actor_in_scope(client, official, alice):
    labels = {f"os:operator{i:02d}" for i in range(60)}
    for label in labels:
        audit_record(actor=_Operator(label), subject=alice.person, event="registry.changed", channel="command")
    audit_record(actor=_Operator("os:nanjing"), subject=("registry.insuredperson", 0), event="registry.changed",
                 channel="command", region="320100")
    client.force_login(official(scope_region_id="320300"))
    response = client.get("/admin/audit/auditevent/")
    actor_filter = next(f for f in response.context["cl"].filter_specs if f.parameter_name == "actor")
    offered = {value for value, _label in actor_filter.lookup_choices}
    assert labels <= offered and "os:nanjing" not in offered


class _Operator:
    """An operator as the commands name one (no user row): only its label is stored."""

    pk = None
    hall_id = None

    def __init__(self, label):
        self.label = label

    def get_username(self):
        return self.label
