"""Demo data for `make run`: realistic families covering every rule in rules.md. Idempotent."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from accounts.models import User
from demo.bindings import load_bindings, load_quota
from demo.premiums import load_premiums
from family.selectors import family_members_of
from family.services import family_member_add
from ledger.models import PersonalAccount
from ledger.services import account_open
from registry import idnumber
from registry.models import InsuredPerson, ServiceHall
from settlement.keys import demo_api_key_install
from settlement.models import Institution
from settlement.services import settlement_create

DEMO_PASSWORD = "Demo@2026"
E, R = InsuredPerson.InsuranceType.EMPLOYEE, InsuredPerson.InsuranceType.RESIDENT

# key: (name, address code in the ID, birth, sequence, insutype, pooling region, status, balance, mobile, web account?)
PEOPLE = {
    "worker": ("张伟", "320302", datetime.date(1985, 3, 15), 11, E, "320300", "active", "3268.50", "13900000001", True),
    "spouse": ("李娜", "320302", datetime.date(1987, 6, 20), 22, E, "320300", "active", "1520.00", "13900000002", True),
    "child": ("张小雨", "320302", datetime.date(2015, 9, 1), 42, R, "320300", "active", None, "", False),
    "father": ("张建国", "320102", datetime.date(1958, 2, 11), 13, E, "320100", "active", "5200.00", "13900000004", False),
    "mother": ("王秀英", "320102", datetime.date(1960, 8, 8), 24, R, "320100", "active", None, "13900000005", False),
    "father_in_law": ("李国强", "340102", datetime.date(1960, 11, 30), 15, R, "340100", "active", None, "13900000006", False),
    "brother": ("张强", "320302", datetime.date(1990, 1, 1), 17, R, "320300", "ended", None, "13900000007", False),
    "zero_worker": ("刘洋", "320303", datetime.date(1979, 4, 4), 19, E, "320300", "active", "0.00", "13900000008", True),
    "zero_mother": ("陈桂兰", "320303", datetime.date(1952, 7, 7), 26, R, "320300", "active", None, "13900000009", False),
    "suspended_worker": ("赵敏", "320102", datetime.date(1982, 12, 12), 28, E, "320100", "suspended", "800.00",
                         "13900000010", True),
    "suspended_child": ("赵小宝", "320102", datetime.date(2012, 5, 5), 44, R, "320100", "active", None, "", False),
    "beijing_worker": ("孙立", "110105", datetime.date(1980, 5, 5), 31, E, "110000", "active", "6000.00",
                       "13900000011", True),
    "beijing_father": ("孙德明", "130102", datetime.date(1950, 10, 1), 33, R, "130100", "active", None, "", False),
    "shanxi_worker": ("王磊", "140105", datetime.date(1983, 9, 9), 35, E, "140100", "active", "1200.00",
                      "13900000013", True),
}


def certno(key: str) -> str:
    name, address, birth, seq, *_ = PEOPLE[key]
    return idnumber.make(address, birth, seq)


@transaction.atomic
def load() -> dict:
    persons = {}
    for key, (name, _address, _birth, _seq, insutype, region, status, balance, mobile, web) in PEOPLE.items():
        person, _ = InsuredPerson.objects.get_or_create(
            certno=certno(key),
            defaults=dict(name=name, insutype=insutype, region_id=region, status=status, mobile=mobile),
        )
        persons[key] = person
        if balance is not None and not PersonalAccount.objects.filter(person=person).exists():
            account_open(person=person, opening_balance=Decimal(balance))
        if web and not User.objects.filter(person=person).exists():
            User.objects.create_user(username=person.certno, password=DEMO_PASSWORD, person=person, mobile=mobile,
                                     first_name=name)

    hall, _ = ServiceHall.objects.get_or_create(
        name="徐州市医保服务大厅", defaults={"region_id": "320300", "address": "徐州市云龙区和平大道"}
    )
    if not User.objects.filter(username="hall_xz").exists():
        User.objects.create_user(username="hall_xz", password=DEMO_PASSWORD, role=User.Role.STAFF, hall=hall,
                                 first_name="周经办")
    officials = _officials_group()
    for username, province, region, name in [
        ("official_js", "32", None, "江苏省医保局"), ("official_xz", None, "320300", "徐州市医保局"),
    ]:
        if not User.objects.filter(username=username).exists():
            user = User.objects.create_user(username=username, password=DEMO_PASSWORD, role=User.Role.OFFICIAL,
                                            is_staff=True, scope_province_id=province, scope_region_id=region,
                                            first_name=name)
            user.groups.add(officials)
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser(username="admin", password=DEMO_PASSWORD, role=User.Role.OFFICIAL)
    # Bindings first: the family account of a minor and the demo settlements build on them.
    load_bindings(persons)
    _family_accounts(persons, hall)
    _demo_institution(persons)
    load_premiums(persons)
    from demo.refusals import load_refusals

    load_refusals()
    from officials.summary import statistics_refresh

    statistics_refresh()  # the statistics page reads summary tables
    return persons


# Family accounts (亲情账户): (holder, member, relation). 张伟 shows his child's code; 李娜 has her father in
# Anhui only in her family account — the article's reason 2 (FAMILY_ACCOUNT_ONLY), and he cannot be bound across
# provinces under the Jiangsu policy anyway.
FAMILY_ACCOUNTS = [("worker", "child", "child"), ("spouse", "father_in_law", "parent")]
# 张伟 asked online to add his mother 王秀英 (no web account): she agrees at the hall counter (docs/hall-counter.md).
FAMILY_REQUESTS = [("worker", "mother", "parent")]


def _family_accounts(persons: dict, hall) -> None:
    """Through the family service, as at the hall: the holder's child is bound (the online proof for a minor),
    李娜's father agreed in person. 张伟's request to his mother is sent online and waits for her answer."""
    for holder, member, relation in FAMILY_ACCOUNTS:
        holder, member = persons[holder], persons[member]
        if any(m.member_id == member.pk for m in family_members_of(holder)):
            continue
        family_member_add(actor=getattr(holder, "user", None), holder=holder, relation=relation,
                          member_name=member.name, member_certno=member.certno, member_present=True, hall=hall)
    for holder, member, relation in FAMILY_REQUESTS:
        holder, member = persons[holder], persons[member]
        # Once answered (at the counter), the request stays answered when the demo is loaded again.
        if any(m.member_id == member.pk for m in family_members_of(holder, live_only=False)):
            continue
        family_member_add(actor=getattr(holder, "user", None), holder=holder, relation=relation,
                          member_name=member.name, member_certno=member.certno)


def _officials_group() -> Group:
    group, _ = Group.objects.get_or_create(name="officials")
    perms = Permission.objects.filter(
        Q(content_type__app_label__in=["registry", "ledger", "sharing", "accounts", "settlement"])
        # The audit trail and family accounts are read, never edited, by officials.
        | Q(content_type__app_label__in=["audit", "family"], codename__startswith="view_")
        # The SMS outbox (failed sends), scoped by the recipient's region; never the in-site messages' text.
        | Q(content_type__app_label="notifications", codename="view_smsmessage")
    )
    group.permissions.set(perms.exclude(codename__startswith="delete_"))
    return group


LOGINS = [
    ("张伟 (worker, Xuzhou)", "worker"), ("李娜 (spouse)", "spouse"), ("刘洋 (zero balance)", "zero_worker"),
    ("赵敏 (suspended)", "suspended_worker"), ("孙立 (Beijing, 2026 rules)", "beijing_worker"),
    ("王磊 (Shanxi, floor and cap)", "shanxi_worker"),
]


DEMO_INSTITUTION = ("H32030200090", "徐州市第一人民医院", "320300")


def _demo_institution(persons: dict) -> None:
    """One designated institution whose API key `make run` prints (derived from SECRET_KEY; only its hash is
    stored), and a few settlements so the spending pages have something to show."""
    code, name, region = DEMO_INSTITUTION
    institution, _ = Institution.objects.get_or_create(fixmedins_code=code,
                                                       defaults={"name": name, "region_id": region})
    demo_api_key_install(institution=institution)
    for request_id, patient, amount, category in [
        ("demo-0001", "child", "86.40", "outpatient"), ("demo-0002", "child", "32.00", "pharmacy"),
        ("demo-0003", "worker", "58.20", "pharmacy"),
    ]:
        settlement_create(institution=institution, body={
            "request_id": request_id, "mdtrt_cert_type": "02", "mdtrt_cert_no": persons[patient].certno,
            "amount": Decimal(amount), "category": category})

    def settle(request_id, patient, amount):
        settlement_create(institution=institution, body={
            "request_id": request_id, "mdtrt_cert_type": "02", "mdtrt_cert_no": patient.certno,
            "amount": Decimal(amount), "category": "pharmacy"})

    load_quota(persons, settle)
