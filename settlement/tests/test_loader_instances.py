"""The loader builds the engine's model instances without Model.__init__ (settlement/loaders.py `_model`,
docs/settle-last.md): they must be what `Model.from_db` gives for the same columns — the same loaded values, the
same deferred fields, loaded from "default", not adding — and nothing may listen to pre_init / post_init for these
models (a receiver added later would not see them; this test then fails and says so)."""

import pytest
from django.db import transaction
from django.db.models.signals import post_init, pre_init
from django.utils import timezone

from ledger.models import PersonalAccount, Reserve
from registry.models import InsuredPerson, PoolingRegion, Province, SharingPolicy
from settlement import loaders
from sharing.models import Binding

MODELS = [InsuredPerson, PoolingRegion, Province, PersonalAccount, Binding, SharingPolicy, Reserve]


def _loaded(instance) -> dict:
    return {name: value for name, value in instance.__dict__.items() if name != "_state"}


def _as_orm_builds_it(instance, names: list[str]):
    model = type(instance)
    given = dict(zip(names, (instance.__dict__[name] for name in names), strict=True))
    return model.from_db("default", names, [given[f.attname] for f in model._meta.concrete_fields
                                            if f.attname in given])


def _same_as_from_db(instance, names: list[str]) -> None:
    reference = _as_orm_builds_it(instance, names)
    assert _loaded(instance) == _loaded(reference)
    assert instance.get_deferred_fields() == reference.get_deferred_fields()
    assert (instance._state.adding, instance._state.db) == (False, "default")
    assert instance._state.fetch_mode is reference._state.fetch_mode


def test_nothing_listens_to_the_init_signals_of_the_models_the_loader_builds(db):
    for model in MODELS:
        assert not pre_init.has_listeners(model), f"{model.__name__}: loaders._model skips pre_init"
        assert not post_init.has_listeners(model), f"{model.__name__}: loaders._model skips post_init"


def test_the_loader_builds_what_from_db_builds(alice, charlie, bind):
    binding = bind(alice, charlie)
    with transaction.atomic():
        payers = loaders.payers_load(api_key=None, certno=charlie.certno, on=timezone.localdate())
    patient = payers.patient
    _same_as_from_db(patient, loaders.PERSON)
    _same_as_from_db(patient.region, loaders.REGION)
    _same_as_from_db(patient.region.province, loaders.PROVINCE)
    [loaded] = payers.bindings
    _same_as_from_db(loaded, loaders.BINDING)
    assert loaded.pk == binding.pk and loaded.authorizer.pk == alice.person.pk
    authorizer = loaded.authorizer
    _same_as_from_db(authorizer, loaders.PERSON)
    _same_as_from_db(authorizer.account, ["id", "balance", "person_id"])
    assert authorizer.account.person is authorizer and loaded.member is patient
    assert loaded.get_deferred_fields()  # the signature and the rest were not read: deferred, as before
    for policy in payers.policies.values():
        assert isinstance(policy, SharingPolicy)
    # A deferred field still loads on access, as on an instance from the ORM.
    fresh = Binding.objects.get(pk=binding.pk)
    deferred = sorted(loaded.get_deferred_fields())[0]
    assert getattr(loaded, deferred) == getattr(fresh, deferred)


def test_the_values_are_those_the_orm_reads(alice, charlie, bind):
    bind(alice, charlie)
    with transaction.atomic():
        payers = loaders.payers_load(api_key=None, certno=charlie.certno, on=timezone.localdate())
    orm = InsuredPerson.objects.only(*loaders.PERSON).get(pk=charlie.pk)
    assert _loaded(payers.patient) == _loaded(orm)
    [loaded] = payers.bindings
    assert _loaded(loaded) == _loaded(Binding.objects.only(*loaders.BINDING).get(pk=loaded.pk))


@pytest.mark.parametrize("ids", [[], [3], [1, 2, 30000000000]])
def test_an_id_array_travels_as_its_text(ids):
    assert loaders._array(ids) == "{" + ",".join(str(i) for i in ids) + "}"


def test_the_locks_take_their_arrays_as_text(db, alice, bob):
    accounts = [PersonalAccount.objects.get(person=p).pk for p in (alice.person, bob.person)]
    with transaction.atomic():
        balances = loaders.accounts_lock(set(accounts))
        assert balances == dict(PersonalAccount.objects.filter(pk__in=accounts).values_list("pk", "balance"))
        assert loaders.reserves_lock([]) == {}
        assert loaders.reserves_lock([Binding._meta.pk.default()]) == {}


def _load(certno):
    with transaction.atomic():
        return loaders.payers_load(api_key=None, certno=certno, on=timezone.localdate())


def test_the_policy_in_force_is_resolved_once_and_again_when_a_version_changes(alice, charlie, bind):
    from registry.policy import policy_in_force

    bind(alice, charlie)
    region = alice.person.region_id
    first, second = _load(charlie.certno).policies[region], _load(charlie.certno).policies[region]
    assert second is first  # the same rows: the policy resolved before
    expected = policy_in_force(alice.person.region)
    assert {f.attname: getattr(first, f.attname) for f in SharingPolicy._meta.concrete_fields} == {
        f.attname: getattr(expected, f.attname) for f in SharingPolicy._meta.concrete_fields}
    # A version changed in the database (an official's correction, a restore) is read as changed at once.
    national = SharingPolicy.objects.filter(province__isnull=True).order_by("-effective_from").first()
    SharingPolicy.objects.filter(pk=national.pk).update(per_payment_cap=(national.per_payment_cap or 0) + 7)
    changed = _load(charlie.certno).policies[region]
    assert changed is not first
    assert changed.per_payment_cap == policy_in_force(alice.person.region).per_payment_cap
