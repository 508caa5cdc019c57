"""Several members in one application (江苏医保云's 增加使用人): the letter is signed once, for all of them; each
member gets their own binding through sharing.services.binding_create, or their own refusal."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from core.reasons import Reason
from registry.models import InsuredPerson
from sharing.models import Binding, CommitmentLetter
from sharing.services import BindingRefused, binding_create, current_letter, signed_payload


def signed_payload_many(*, letter: CommitmentLetter, authorizer: InsuredPerson, members: list[tuple[InsuredPerson, str]],
                        valid_from=None, valid_until=None) -> str:
    """The exact text signed for an application with several members: the letter once, then every member's answers.
    With one member it is signed_payload's text."""
    if len(members) == 1:
        (member, relation), = members
        return signed_payload(letter=letter, authorizer=authorizer, member=member, relation=relation,
                              valid_from=valid_from, valid_until=valid_until)
    parts = [signed_payload(letter=letter, authorizer=authorizer, member=member, relation=relation,
                            valid_from=valid_from, valid_until=valid_until).rsplit("\n\n", 1)[1]
             for member, relation in members]
    return f"{letter.title}\n\n{letter.body}\n\n" + "\n".join(parts)


@dataclass
class Verdict:
    """What became of one member of an application: the binding, or every reason it was refused."""

    relation: str
    member: InsuredPerson | None
    member_name: str = ""
    binding: Binding | None = None
    reasons: list[Reason] = field(default_factory=list)


@transaction.atomic
def bindings_create_many(*, authorizer: InsuredPerson, entries: list[dict], actor, signature_method: str,
                         signature_image: bytes | None = None, signature_mime: str = "", typed_name: str = "",
                         valid_from: datetime.date | None = None, valid_until: datetime.date | None = None,
                         letter: CommitmentLetter | None = None, channel: str = "online", staff=None, hall=None,
                         ip: str | None = None, user_agent: str = "") -> list[Verdict]:
    """Several members in one application (增加使用人): the letter is signed once, for all of them; each member gets
    their own binding through binding_create, or their own refusal, and one refusal does not stop the others.

    `entries` are dicts with relation, member, member_name and member_certno, in the order they were added: a later
    entry is judged with the earlier ones already bound (two spouses: the second is SECOND_SPOUSE)."""
    letter = letter or current_letter()
    signed_text = signed_payload_many(
        letter=letter, authorizer=authorizer, valid_from=valid_from, valid_until=valid_until,
        members=[(e["member"], e["relation"]) for e in entries if e.get("member") is not None])
    verdicts = []
    for entry in entries:
        verdict = Verdict(relation=entry["relation"], member=entry.get("member"), member_name=entry.get("member_name", ""))
        try:
            with transaction.atomic():
                verdict.binding = binding_create(
                    authorizer=authorizer, relation=entry["relation"], member=entry.get("member"), actor=actor,
                    member_name=entry.get("member_name", ""), member_certno=entry.get("member_certno", ""),
                    signature_method=signature_method, signature_image=signature_image,
                    signature_mime=signature_mime, typed_name=typed_name, valid_from=valid_from,
                    valid_until=valid_until, letter=letter, channel=channel, staff=staff, hall=hall, ip=ip,
                    user_agent=user_agent, signed_text=signed_text)
        except BindingRefused as refused:
            verdict.reasons = refused.reasons
        verdicts.append(verdict)
    return verdicts
