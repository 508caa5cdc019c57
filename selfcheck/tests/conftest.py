"""Fixed people for the self-check, made through the real services (no demo data).

A family in 徐州 (Jiangsu: cross-city sharing, validity periods) with relatives across the province and beyond:

worker (张伟, employee ¥3,268.50)  spouse (李娜, employee ¥1,520.00)  child (张小雨, resident, 10)
father (张建国, employee in 南京)   mother (王秀英, resident in 南京)    brother (张强, enrollment ended)
father_in_law (李国强, resident in 合肥, Anhui: another province)
zero_worker (刘洋, ¥0) and his mother zero_mother (陈桂兰)
suspended_worker (赵敏, 南京, enrollment suspended)
beijing_worker (孙立, Beijing on the 2026 rules) and his father beijing_father (孙德明, 石家庄, Hebei)

The worker has the child in his family account; the spouse has her father there (and nowhere else). Nobody has
bound anybody: each test binds what it needs.
"""

import datetime

import pytest

E, R = "310", "390"
# key: name, address code, birth, sex, insurance type, pooling region, status, balance, has a web account
PEOPLE = {
    "worker": ("张伟", "320302", datetime.date(1985, 3, 15), "M", E, "320300", "active", "3268.50", True),
    "spouse": ("李娜", "320302", datetime.date(1987, 6, 20), "F", E, "320300", "active", "1520.00", True),
    "child": ("张小雨", "320302", datetime.date(2015, 9, 1), "F", R, "320300", "active", None, False),
    "father": ("张建国", "320102", datetime.date(1958, 2, 11), "M", E, "320100", "active", "5200.00", False),
    "mother": ("王秀英", "320102", datetime.date(1960, 8, 8), "F", R, "320100", "active", None, False),
    "father_in_law": ("李国强", "340102", datetime.date(1960, 11, 30), "M", R, "340100", "active", None, False),
    "brother": ("张强", "320302", datetime.date(1990, 1, 1), "M", R, "320300", "ended", None, False),
    "zero_worker": ("刘洋", "320303", datetime.date(1979, 4, 4), "M", E, "320300", "active", "0.00", True),
    "zero_mother": ("陈桂兰", "320303", datetime.date(1952, 7, 7), "F", R, "320300", "active", None, False),
    "suspended_worker": ("赵敏", "320102", datetime.date(1982, 12, 12), "F", E, "320100", "suspended", "800.00", True),
    "beijing_worker": ("孙立", "110105", datetime.date(1980, 5, 5), "M", E, "110000", "active", "6000.00", True),
    "beijing_father": ("孙德明", "130102", datetime.date(1950, 10, 1), "M", R, "130100", "active", None, False),
}


@pytest.fixture
def people(make_person, make_citizen, hall):
    from family.services import family_member_add

    made = {}
    for key, (name, address, birth, sex, insutype, region, status, balance, web) in PEOPLE.items():
        fields = dict(name=name, address=address, birth=birth, sex=sex, insutype=insutype, region=region,
                      status=status, balance=balance or "0.00")
        made[key] = make_citizen(**fields).person if web else make_person(**fields)
    for holder, member, relation in [("worker", "child", "child"), ("spouse", "father_in_law", "parent")]:
        family_member_add(actor=None, holder=made[holder], relation=relation, member_name=made[member].name,
                          member_certno=made[member].certno, member_present=True, hall=hall)
    return made


@pytest.fixture
def hall(db):
    from registry.models import ServiceHall

    return ServiceHall.objects.get_or_create(name="徐州市医保服务大厅", defaults={"region_id": "320300"})[0]
