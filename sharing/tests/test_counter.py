"""sharing.counter: the one override hall staff may make, and what a binding keeps of it."""

import datetime

import pytest
from django.db import DatabaseError, transaction

from sharing.counter import RelationOverride
from sharing.models import Binding
from sharing.services import BindingRefused, binding_create
from sharing.tests.pngs import png


def _step_child(make_person):
    return make_person(name="王继", birth=datetime.date(1995, 1, 1), insutype="390")  # 10 years younger than alice


def _create(alice, member, **extra):
    return binding_create(authorizer=alice.person, relation="child", member=member, actor=None,
                          signature_method="typed", typed_name=alice.person.name, **extra)


def test_without_an_override_an_implausible_relation_is_refused(alice, make_person):
    with pytest.raises(BindingRefused) as refused:
        _create(alice, _step_child(make_person))
    assert [r.code for r in refused.value.reasons] == ["RELATION_IMPLAUSIBLE"]


def test_an_override_confirms_only_an_implausible_relation_and_is_kept(alice, make_person, hall_staff):
    override = RelationOverride(staff=hall_staff, document="household_register", note="户口簿：继子")
    binding = _create(alice, _step_child(make_person), override=override, channel="hall", staff=hall_staff)
    assert binding.status == "active" and binding.override_staff == hall_staff
    assert binding.override_document == "household_register" and binding.override_note == "户口簿：继子"


def test_an_override_is_not_recorded_where_nothing_needed_it(alice, charlie, hall_staff):
    override = RelationOverride(staff=hall_staff, document="household_register", note="看过")
    binding = _create(alice, charlie, override=override)
    assert binding.override_document == "" and binding.override_staff is None


def test_an_override_needs_staff_a_relationship_document_and_a_note(alice, hall_staff):
    with pytest.raises(ValueError):
        RelationOverride(staff=alice, document="household_register", note="x")
    with pytest.raises(ValueError):
        RelationOverride(staff=hall_staff, document="birth_certificate", note="x")
    with pytest.raises(ValueError):
        RelationOverride(staff=hall_staff, document="marriage_certificate", note="  ")


def test_no_other_refusal_is_ever_overridden(alice, make_person, hall_staff):
    in_law = make_person(name="李岳", birth=datetime.date(1950, 1, 1))
    override = RelationOverride(staff=hall_staff, document="household_register", note="户口簿")
    with pytest.raises(BindingRefused) as refused:
        binding_create(authorizer=alice.person, relation="parent_in_law", member=in_law, actor=None,
                       signature_method="typed", typed_name=alice.person.name, override=override)
    assert [r.code for r in refused.value.reasons] == ["RELATION_NOT_ALLOWED"]


def test_the_signatures_hash_and_the_override_are_never_edited(alice, charlie):
    binding = binding_create(authorizer=alice.person, relation="child", member=charlie, actor=None,
                             signature_method="drawn", signature_image=png(), signature_mime="image/png")
    assert len(binding.signature_sha256) == 64
    for field, value in [("signature_sha256", "0" * 64), ("override_note", "later")]:
        with pytest.raises(DatabaseError), transaction.atomic():
            Binding.objects.filter(pk=binding.pk).update(**{field: value})


def test_a_scanned_signature_needs_its_file(alice, charlie):
    with pytest.raises(ValueError):
        binding_create(authorizer=alice.person, relation="child", member=charlie, actor=None,
                       signature_method="scanned")
