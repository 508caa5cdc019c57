"""The settlement's hot path in fixed SQL statements (docs/settle-fast.md).

The same inputs as `sharing.payers.payers_for` + `family_account_holder_ids` + `policy_in_force` build with the
ORM, read in one statement: the API key still valid, the patient (by ID number) with their region and own account,
the family holders, whether they are the member of a suspended binding, and each active binding (locked, FOR
UPDATE of the binding rows only, in id order) with its authorizer, their region and account, and the policy
versions in force in the authorizer's province (the province's newest and the national newest). Nothing here
decides a rule: the rows become the model instances the engine (sharing.eligibility) already takes.

Statements go through core.sql.fast_cursor, so PostgreSQL keeps them prepared per connection.
"""

import datetime

from django.db.models import Model
from django.db.models.base import ModelState

from core.sql import fast_cursor
from ledger.models import PersonalAccount, Reserve
from registry.models import InsuredPerson, PoolingRegion, Province, SharingPolicy
from registry.policy import resolve
from sharing.eligibility.payment import family_account_only, payment_order
from sharing.models import Binding
from sharing.payers import Payers, own_account


class KeyNotValid(Exception):
    """The API key presented was revoked, deleted or changed, or its institution was deactivated or changed,
    since this process cached it: the request is answered as with an unknown key."""


PERSON = ["id", "certno", "name", "insutype", "status", "mobile", "region_id"]
REGION = ["code", "name", "province_id"]
PROVINCE = ["code", "name"]
ACCOUNT = ["id", "balance"]
BINDING = ["id", "relation", "status", "valid_from", "valid_until", "payment_priority", "activated_at", "created_at",
           "authorizer_id", "member_id"]
POLICY = [f.attname for f in SharingPolicy._meta.concrete_fields]


def _columns(alias: str, names: list[str]) -> str:
    return ", ".join(f"{alias}.{name}" for name in names)


def _policy_lateral(alias: str, province: str) -> str:
    return (f"LEFT JOIN LATERAL (SELECT {_columns('sp', POLICY)} FROM registry_sharingpolicy sp "
            f"WHERE sp.province_id {province} AND sp.effective_from <= %(on)s "
            f"ORDER BY sp.effective_from DESC LIMIT 1) {alias} ON true")


# One fixed text (prepared once per connection). Zero rows: the key is no longer valid. One row with a NULL
# patient: no such patient. Otherwise one row per active binding (one row with NULL binding columns if none).
# {with_}, {extra}, {lock} and {extra_join}: the patient enquiry's variant (ENQUIRY_SQL) counts the enquiry, reads
# each binding's open quota and locks nothing.
_PAYERS_SQL = f"""{{with_}}
SELECT {_columns('p', PERSON)}, {_columns('pr', REGION)}, {_columns('pp', PROVINCE)}, {_columns('pa', ACCOUNT)},
       ARRAY(SELECT f.holder_id FROM family_familymembership f WHERE f.member_id = p.id AND f.status = 'active'),
       EXISTS(SELECT 1 FROM sharing_binding s WHERE s.member_id = p.id AND s.status = 'suspended'),
       {_columns('b', BINDING)}, {_columns('a', PERSON)}, {_columns('ar', REGION)}, {_columns('ap', PROVINCE)},
       {_columns('aa', ACCOUNT)}, {_columns('provp', POLICY)}, {_columns('natp', POLICY)}{{extra}}
FROM {{key}} k
LEFT JOIN registry_insuredperson p ON p.certno = %(certno)s
LEFT JOIN registry_poolingregion pr ON pr.code = p.region_id
LEFT JOIN registry_province pp ON pp.code = pr.province_id
LEFT JOIN ledger_personalaccount pa ON pa.person_id = p.id
LEFT JOIN LATERAL (SELECT {_columns('b0', BINDING)} FROM sharing_binding b0
                   WHERE b0.member_id = p.id AND b0.status = 'active' ORDER BY b0.id{{lock}}) b ON true
LEFT JOIN registry_insuredperson a ON a.id = b.authorizer_id
LEFT JOIN registry_poolingregion ar ON ar.code = a.region_id
LEFT JOIN registry_province ap ON ap.code = ar.province_id
LEFT JOIN ledger_personalaccount aa ON aa.person_id = a.id
{_policy_lateral('provp', '= ar.province_id')}
{_policy_lateral('natp', 'IS NULL')}{{extra_join}}
"""

# The key as this process cached it, still valid: its row, its hash, not revoked, its institution active and
# unchanged (a change of name, code or region drops the cached copy: the request re-reads the key).
KEY_VALID = """(SELECT 1 FROM settlement_apikey k JOIN settlement_institution i ON i.id = k.institution_id
      WHERE k.id = %(key_id)s AND k.key_hash = %(key_hash)s AND k.revoked_at IS NULL AND i.active
        AND i.id = %(institution_id)s AND i.name = %(institution_name)s AND i.fixmedins_code = %(institution_code)s
        AND i.region_id IS NOT DISTINCT FROM %(institution_region)s)"""


def _payers_sql(key: str, *, with_: str = "", extra: str = "", lock: str = " FOR UPDATE", extra_join: str = "") -> str:
    return (_PAYERS_SQL.replace("{with_}", with_).replace("{extra}", extra).replace("{lock}", lock)
            .replace("{extra_join}", extra_join).replace("{key}", key))


PAYERS_SQL = _payers_sql(KEY_VALID)
PAYERS_NO_KEY_SQL = _payers_sql("(SELECT 1)")  # callers without an API key (demo data, tests)
KEY_SQL = f"SELECT 1 FROM {KEY_VALID} k"

# The patient enquiry's count (accounts.throttle's per-window counter, the same upsert as throttle.increment),
# counted only while the cached key is still valid: no row comes back otherwise.
COUNT_CTE = f"""WITH c AS (
  INSERT INTO accounts_ratecounter (scope, key_hash, window_start, count)
  SELECT %(scope)s, %(counter_key)s, %(window_start)s, 1 FROM {KEY_VALID} kv
  ON CONFLICT (scope, key_hash, window_start) DO UPDATE SET count = accounts_ratecounter.count + 1
  RETURNING count)"""
ENQUIRY_COUNT_SQL = f"{COUNT_CTE}\nSELECT count FROM c"
# The enquiry reads what the settlement reads, without locks, plus each binding's open quota and the count.
ENQUIRY_SQL = _payers_sql("c", with_=COUNT_CTE, extra=", k.count, rv.balance", lock="",
                          extra_join="\nLEFT JOIN ledger_reserve rv ON rv.binding_ref = b.id AND rv.closed_at IS NULL")

LOCK_ACCOUNTS_SQL = ("SELECT id, balance FROM ledger_personalaccount WHERE id = ANY(%s::bigint[]) ORDER BY id "
                     "FOR UPDATE")
LOCK_RESERVES_SQL = ("SELECT id, binding_ref, balance, account_id FROM ledger_reserve "
                     "WHERE binding_ref = ANY(%s::uuid[]) AND closed_at IS NULL ORDER BY id FOR UPDATE")


def _model(model: type[Model], names: list[str], values) -> Model:
    """An instance as the ORM builds one from a row (`Model.from_db`: loaded from "default", not adding, the
    fields not read left deferred), without going through `__init__`: its per-field loop and the pre_init /
    post_init signals (no receiver for these models; test_loader_instances checks both) cost more than the rest of
    the loader's Python. `names` are attnames of concrete fields."""
    instance = model.__new__(model)
    instance.__dict__.update(zip(names, values, strict=True))
    state = instance._state = ModelState()
    state.adding, state.db = False, "default"
    return instance


def _take(row, at: int, names: list[str]) -> tuple[list, int]:
    return row[at:at + len(names)], at + len(names)


def _person(row, at: int) -> tuple[InsuredPerson | None, int]:
    """A person with their region, its province and their account (None for a NULL person) from `at` on."""
    person, at = _take(row, at, PERSON)
    region, at = _take(row, at, REGION)
    province, at = _take(row, at, PROVINCE)
    account, at = _take(row, at, ACCOUNT)
    if person[0] is None:
        return None, at
    person = _model(InsuredPerson, PERSON, person)
    region = _model(PoolingRegion, REGION, region)
    region._state.fields_cache["province"] = _model(Province, PROVINCE, province)
    person._state.fields_cache["region"] = region
    if account[0] is None:
        person._state.fields_cache["account"] = None  # as select_related leaves it: no query to find none
    else:
        account = _model(PersonalAccount, ["id", "balance", "person_id"], [*account, person.pk])
        account._state.fields_cache["person"] = person
        person._state.fields_cache["account"] = account
    return person, at


def _policy(values) -> SharingPolicy | None:
    return None if values[0] is None else _model(SharingPolicy, POLICY, values)


_RESOLVED_KEPT = 256
_resolved_policies: dict[tuple, tuple] = {}  # (province id, national id) -> (values read, values read, policy)


def _resolved(province_values, national_values) -> SharingPolicy:
    """registry.policy.resolve of the two versions read, remembered per process and used again only when every
    value read is the same (a version that changed reads as other values), as the engine only reads a policy.
    Building and copying the versions cost more than the rest of the loader's Python."""
    key = (province_values[0], national_values[0])
    kept = _resolved_policies.get(key)
    if kept is not None and kept[0] == province_values and kept[1] == national_values:
        return kept[2]
    if len(_resolved_policies) >= _RESOLVED_KEPT:
        _resolved_policies.clear()
    policy = resolve(_policy(province_values), _policy(national_values))
    _resolved_policies[key] = (tuple(province_values), tuple(national_values), policy)
    return policy


def key_params(api_key) -> dict:
    institution = api_key.institution
    return {"key_id": api_key.pk, "key_hash": api_key.key_hash, "institution_id": institution.pk,
            "institution_name": institution.name, "institution_code": institution.fixmedins_code,
            "institution_region": institution.region_id}


def key_check(api_key) -> None:
    """KeyNotValid unless the cached key is still valid (for the paths that do not run payers_load)."""
    with fast_cursor() as cursor:
        cursor.execute(KEY_SQL, key_params(api_key))
        if cursor.fetchone() is None:
            raise KeyNotValid


def enquiry_count(*, api_key, counter: dict) -> int:
    """Count an enquiry of this key (`counter`: accounts.throttle.counter_values) and answer how many it made in
    this window; KeyNotValid (nothing counted) if the cached key is no longer valid."""
    with fast_cursor() as cursor:
        cursor.execute(ENQUIRY_COUNT_SQL, {**key_params(api_key), **counter})
        row = cursor.fetchone()
    if row is None:
        raise KeyNotValid
    return row[0]


def enquiry_load(*, api_key, certno: str, on: datetime.date, counter: dict) -> tuple[int, Payers | None, dict]:
    """The patient enquiry in one statement: (enquiries in this window, this one counted; the patient's Payers as
    payers_load reads them but without locks, or None; binding id -> what is left of its open quota).
    KeyNotValid (nothing counted) if the cached key is no longer valid."""
    with fast_cursor() as cursor:
        cursor.execute(ENQUIRY_SQL, {**key_params(api_key), **counter, "certno": certno, "on": on})
        rows = cursor.fetchall()
    if not rows:
        raise KeyNotValid
    count = rows[0][-2]
    reserves = {row[_BINDING_AT]: row[-1] for row in rows if row[_BINDING_AT] is not None and row[-1] is not None}
    return count, _payers(rows, on), reserves


def payers_load(*, api_key, certno: str, on: datetime.date) -> Payers | None:
    """The patient's Payers under the binding locks, or None if no person has this ID number; KeyNotValid if the
    key (or its institution) is no longer the one cached. Policies in force per authorizer region ride along
    (`Payers.policies`; a region without a national version in force is left out, so the engine's own
    policy_in_force raises NoPolicy as before)."""
    with fast_cursor() as cursor:
        if api_key is None:
            cursor.execute(PAYERS_NO_KEY_SQL, {"certno": certno, "on": on})
        else:
            cursor.execute(PAYERS_SQL, {**key_params(api_key), "certno": certno, "on": on})
        rows = cursor.fetchall()
    if not rows:
        raise KeyNotValid
    return _payers(rows, on)


def _payers(rows, on: datetime.date) -> Payers | None:
    patient, at = _person(rows[0], 0)
    if patient is None:
        return None
    holder_ids, suspended = rows[0][at], rows[0][at + 1]
    at += 2
    bindings, policies = [], {}
    for row in rows:
        values, next_at = _take(row, at, BINDING)
        if values[0] is None:
            continue
        binding = _model(Binding, BINDING, values)
        authorizer, next_at = _person(row, next_at)
        binding._state.fields_cache["authorizer"] = authorizer
        binding._state.fields_cache["member"] = patient
        bindings.append(binding)
        province_policy, next_at = _take(row, next_at, POLICY)
        national, _end = _take(row, next_at, POLICY)
        if national[0] is not None and authorizer.region_id not in policies:
            policies[authorizer.region_id] = _resolved(province_policy, national)
    bindings = payment_order(bindings)
    return Payers(patient=patient, own=own_account(patient), bindings=bindings,
                  family_account_only=family_account_only(
                      patient_id=patient.pk, holder_ids=holder_ids, authorizer_ids={b.authorizer_id for b in bindings}),
                  suspended=suspended, policies=policies, on=on)


def _array(values) -> str:
    """An array parameter as its text literal (ids and UUIDs only: nothing to quote); psycopg's list dumper
    inspects every element in Python to choose the array's type, the cast in the SQL text names it instead."""
    return "{" + ",".join(map(str, values)) + "}"


# Where the binding's columns start in a row: after the patient, their region, province, account, holders, suspended.
_BINDING_AT = len(PERSON) + len(REGION) + len(PROVINCE) + len(ACCOUNT) + 2


def accounts_lock(account_ids: set[int]) -> dict:
    """Lock the accounts in id order (never in another order: that is what prevents deadlocks); id -> balance."""
    if not account_ids:
        return {}
    with fast_cursor() as cursor:
        cursor.execute(LOCK_ACCOUNTS_SQL, [_array(sorted(account_ids))])
        return dict(cursor.fetchall())


def reserves_lock(binding_ids: list) -> dict:
    """Lock the open quotas of these bindings, after the accounts, in id order; binding id -> Reserve."""
    if not binding_ids:
        return {}
    with fast_cursor() as cursor:
        cursor.execute(LOCK_RESERVES_SQL, [_array(binding_ids)])
        rows = cursor.fetchall()
    return {row[1]: _model(Reserve, ["id", "binding_ref", "balance", "account_id"], row) for row in rows}
