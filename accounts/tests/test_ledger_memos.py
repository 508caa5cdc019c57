"""The latest entries of "my insurance" describe each entry in the reader's language, whatever language the memo
was written in when the entry was posted."""
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from ledger.models import LedgerEntry
from ledger.services import entry_post


def _entries(client, user, language):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("accounts:my_insurance"))
    return {entry.kind: entry.memo_shown for entry in response.context["entries"]}, response.text


def _in(language, msgid, **params):
    with translation.override(language):
        return gettext(msgid) % params


def test_payments_refunds_and_credits_read_in_the_readers_language(client, alice, charlie, bind, api):
    bind(alice, charlie)
    with translation.override("zh-hans"):
        settlement_id = api.settle(charlie, "50.00", request_id="memo-1", category="outpatient")[1]["settlement_id"]
        api.post(f"settlements/{settlement_id}/refunds", {"request_id": "memo-rf", "amount": "10.00"})
    entry_post(account=alice.person.account, amount=Decimal("120.00"), kind=LedgerEntry.Kind.CREDIT,
               memo="monthly credit 2026-05", reference="credit:2026-05")
    memos = LedgerEntry.objects.filter(account=alice.person.account).values_list("memo", flat=True)
    assert any("门诊" in memo for memo in memos)  # as posted, in the language of the moment

    english, page = _entries(client, alice, "en")
    assert english["settlement"] == "徐州市第一人民医院, Outpatient"
    assert english["refund"] == "Refund from 徐州市第一人民医院"
    assert english["credit"] == "Monthly credit for 2026-05" and "Monthly credit for 2026-05" in page
    assert "门诊" not in page

    chinese, page = _entries(client, alice, "zh-hans")
    assert chinese["settlement"] == _in("zh-hans", "%(institution)s, %(category)s", institution="徐州市第一人民医院",
                                        category=_in("zh-hans", "Outpatient"))
    assert chinese["credit"] == _in("zh-hans", "Monthly credit for %(period)s", period="2026-05")
    assert "monthly credit" not in page and "refund" not in chinese["refund"]
