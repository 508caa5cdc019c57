import datetime

import pytest

from core.reasons import Refused
from family import tokens
from family.models import CodeToken


@pytest.fixture
def clock(monkeypatch):
    """The clock tokens read, movable forward."""
    from django.utils import timezone

    state = {"now": timezone.now()}
    monkeypatch.setattr(tokens, "_now", lambda: state["now"])

    def advance(seconds):
        state["now"] += datetime.timedelta(seconds=seconds)

    return advance


def _refused_code(token, **kwargs):
    with pytest.raises(Refused) as info:
        tokens.token_resolve(token, **kwargs)
    return info.value.reason.code


def test_resolves_a_parents_token_to_the_child_as_patient(alice, charlie, add_to_family):
    add_to_family(alice.person, charlie)
    issued = tokens.token_issue(holder=alice.person, member=charlie)
    result = tokens.token_resolve(issued.token)
    assert result.member == charlie and result.holder == alice.person


def test_resolves_a_persons_own_token(alice):
    issued = tokens.token_issue(holder=alice.person, member=alice.person)
    assert tokens.token_resolve(issued.token).member == alice.person


def test_refuses_a_replayed_token(alice):
    issued = tokens.token_issue(holder=alice.person, member=alice.person)
    tokens.token_resolve(issued.token)
    assert _refused_code(issued.token) == "CODE_USED"


def test_a_peek_does_not_use_the_token_up(alice):
    issued = tokens.token_issue(holder=alice.person, member=alice.person)
    tokens.token_resolve(issued.token, consume=False)
    assert tokens.token_resolve(issued.token).member == alice.person


def test_refuses_an_expired_token(alice, clock):
    issued = tokens.token_issue(holder=alice.person, member=alice.person)
    clock(59)
    tokens.token_resolve(issued.token, consume=False)
    clock(2)
    assert _refused_code(issued.token) == "CODE_EXPIRED"


def test_refuses_an_expired_token_after_it_was_used(alice, clock):
    issued = tokens.token_issue(holder=alice.person, member=alice.person)
    tokens.token_resolve(issued.token)
    clock(120)
    assert _refused_code(issued.token) in {"CODE_USED", "CODE_EXPIRED"}


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),     # signature changed
    lambda t: "x" + t,                                      # nonce changed
    lambda t: t.split(":")[0],                              # signature cut off
    lambda t: "",
    lambda t: "not a token at all",
])
def test_refuses_a_tampered_token(alice, mangle):
    issued = tokens.token_issue(holder=alice.person, member=alice.person)
    assert _refused_code(mangle(issued.token)) == "CODE_INVALID"


def test_a_token_signed_with_another_salt_is_refused(alice):
    from django.core import signing

    tokens.token_issue(holder=alice.person, member=alice.person)
    nonce = CodeToken.objects.get().nonce
    forged = signing.Signer(salt="something-else").sign(nonce)
    assert _refused_code(forged) == "CODE_INVALID"


def test_removing_the_member_withdraws_codes_already_shown(alice, charlie, add_to_family):
    membership = add_to_family(alice.person, charlie)
    issued = tokens.token_issue(holder=alice.person, member=charlie)
    membership.status = "removed"
    membership.save(update_fields=["status"])
    assert _refused_code(issued.token) == "CODE_WITHDRAWN"


def test_nobody_gets_a_code_for_someone_not_in_their_family_account(alice, dave):
    with pytest.raises(Refused) as info:
        tokens.token_issue(holder=dave.person, member=alice.person)
    assert info.value.reason.code == "CODE_WITHDRAWN"


def test_a_token_is_short_enough_for_a_small_qr_code(alice):
    assert len(tokens.token_issue(holder=alice.person, member=alice.person).token) < 80


def test_expired_rows_can_be_purged(alice, clock):
    tokens.token_issue(holder=alice.person, member=alice.person)
    from django.utils import timezone

    assert tokens.tokens_purge(before=timezone.now() + datetime.timedelta(minutes=5)) == 1
