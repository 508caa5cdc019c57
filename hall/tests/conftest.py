import datetime

import pytest

from sharing.tests.pngs import png

SIGNATURE = (png(), "image/png")


@pytest.fixture
def open_visit(hall_staff):
    """A visit opened through the real service, the ID card (and any other documents given) checked."""
    from hall.services import visit_open

    def open_(person, *documents, staff=None):
        return visit_open(staff=staff or hall_staff, certno=person.certno, documents=["id_card", *documents])

    return open_


@pytest.fixture
def grandma(make_person):
    """An elderly citizen without a web account (resident insurance, 徐州)."""
    return make_person(name="王秀兰", birth=datetime.date(1955, 4, 1), insutype="390", sex="F", mobile="13800000009")


@pytest.fixture
def grandpa(make_person):
    """Her husband, an employee-insured retiree without a web account, with ¥800.00."""
    return make_person(name="张国华", birth=datetime.date(1953, 2, 1), balance="800.00", mobile="13800000008")


@pytest.fixture
def son(make_person):
    """Their son, resident-insured in 徐州."""
    return make_person(name="张军", birth=datetime.date(1980, 7, 1), insutype="390")
