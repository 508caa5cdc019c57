from django.db import IntegrityError, transaction

from accounts import reasons
from accounts.models import User
from accounts.otp import otp_verify
from audit.services import audit_record
from core.reasons import Refused
from registry import idnumber
from registry.models import InsuredPerson


def registration_match(*, name: str, certno: str, mobile: str) -> InsuredPerson:
    """The real-name check: the person must be in the registry, by name, and not registered yet.

    Whether the mobile typed is the one the registry holds is NOT answered here: a code goes out only to the
    registered number (see `registration_sends_code`), and a mismatch is told only after a code is confirmed,
    so this page cannot be used to recover a masked mobile number digit by digit."""
    person = InsuredPerson.objects.filter(certno=idnumber.normalize(certno)).first()
    if person is None:
        raise Refused(reasons.PERSON_NOT_IN_REGISTRY)
    if not idnumber.same_name(name, person.name):
        raise Refused(reasons.NAME_MISMATCH)
    if User.objects.filter(person=person).exists():
        raise Refused(reasons.ALREADY_REGISTERED)
    # Name and ID number are no secret; owning the mobile the registry holds is what proves it is this person.
    if not person.mobile:
        raise Refused(reasons.MOBILE_NOT_IN_REGISTRY)
    return person


def registration_sends_code(*, person: InsuredPerson, mobile: str) -> bool:
    """Only the mobile number the registry holds ever receives a registration code."""
    return bool(person.mobile) and person.mobile == mobile


def registration_complete(*, person: InsuredPerson, mobile: str, code: str, password: str) -> User:
    otp_verify(mobile=mobile, purpose="register", code=code)
    if not registration_sends_code(person=person, mobile=mobile):
        raise Refused(reasons.MOBILE_MISMATCH)  # unreachable without the code; kept as the last guard
    if User.objects.filter(mobile=mobile).exists():
        raise Refused(reasons.MOBILE_IN_USE)
    try:
        with transaction.atomic():
            user = User(username=person.certno, person=person, mobile=mobile, role=User.Role.CITIZEN,
                        first_name=person.name)
            user.set_password(password)
            user.save()
    except IntegrityError:
        # Two submissions raced: the database allows one account per person and per mobile.
        raise Refused(reasons.ALREADY_REGISTERED) from None
    return user


def user_by_login(identifier: str) -> User | None:
    """Find a user by ID number, mobile number or (staff) username."""
    identifier = identifier.strip()
    if len(identifier) == 11 and identifier.isascii() and identifier.isdigit():
        return User.objects.filter(mobile=identifier).first()
    number = idnumber.normalize(identifier)
    return User.objects.filter(username=number if len(number) == 18 and number[:17].isdigit() else identifier).first()


def password_reset_complete(*, user: User, code: str, password: str) -> None:
    otp_verify(mobile=user.mobile, purpose="reset", code=code)
    user.set_password(password)
    user.save(update_fields=["password"])


@transaction.atomic
def password_change_complete(*, user: User, form) -> None:
    """The account holder chose a new password (a valid PasswordChangeForm); one forced by an official is lifted."""
    form.save()
    was_forced = user.must_change_password
    if was_forced:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    region = user.hall.region_id if user.hall_id else None
    audit_record(actor=user, subject=user, event="accounts.password_changed", region=region,
                 after={"was_set_by_official": was_forced})
