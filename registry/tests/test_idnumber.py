import datetime

import pytest
from django.core.exceptions import ValidationError

from registry import idnumber


def test_accepts_a_valid_number_and_derives_birth_and_sex():
    info = idnumber.parse("11010519491231002X")
    assert info.birth_date == datetime.date(1949, 12, 31)
    assert info.sex == "F"
    assert info.province_code == "11"


def test_accepts_a_lowercase_x_and_spaces():
    assert idnumber.parse(" 11010519491231002x ").number == "11010519491231002X"


@pytest.mark.parametrize(
    "number, code",
    [
        ("110105194912310021", "id_check"),
        ("11010519491231002", "id_format"),
        ("1101051949123100AX", "id_format"),
        # The rest carry a correct check character, so only the named part is wrong.
        (idnumber.make("990105", datetime.date(1949, 12, 31), 2)[:17] + "?", "id_region"),
        ("11010519490230002?", "id_birth"),
        ("11010521991231002?", "id_birth"),
    ],
)
def test_refuses_bad_numbers_with_a_specific_reason(number, code):
    if number.endswith("?"):
        number = number[:17] + idnumber.check_character(number[:17])
    with pytest.raises(ValidationError) as exc:
        idnumber.parse(number)
    assert exc.value.code == code


def test_keeps_an_old_number_valid_whatever_happened_to_its_county():
    # 320321 was Feng County's code before Xuzhou's counties were renumbered; not in our region table.
    old = idnumber.make("320321", datetime.date(1938, 5, 4), 11)
    assert idnumber.parse(old).birth_date == datetime.date(1938, 5, 4)


def test_masks_all_but_the_first_three_and_last_four():
    assert idnumber.mask("320302198503150116") == "320***********0116"
