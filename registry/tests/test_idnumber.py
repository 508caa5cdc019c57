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


@pytest.mark.parametrize("address, kind, province", [
    ("810000", "permit", "81"),  # Hong Kong residents' residence permit
    ("820000", "permit", "82"),  # Macao
    ("830000", "permit", "83"),  # Taiwan
    ("911840", "foreigner", "11"),  # 2023 foreigners' permanent residence ID: issued in Beijing, nationality 840
])
def test_accepts_residence_permits_and_the_foreigners_permanent_residence_id(address, kind, province):
    number = idnumber.make(address, datetime.date(1990, 2, 3), 13)
    info = idnumber.parse(number)
    assert (info.kind, info.province_code, info.birth_date, info.sex) == (kind, province, datetime.date(1990, 2, 3), "M")


def test_refuses_region_code_71_which_is_never_issued():
    with pytest.raises(ValidationError) as exc:
        idnumber.parse(idnumber.make("710000", datetime.date(1990, 2, 3), 13))
    assert exc.value.code == "id_region"


def test_refuses_a_foreigners_number_without_a_mainland_issuing_province():
    with pytest.raises(ValidationError) as exc:
        idnumber.parse(idnumber.make("981840", datetime.date(1990, 2, 3), 13))
    assert exc.value.code == "id_region"


def test_explains_a_first_generation_number_instead_of_counting_characters():
    from django.utils import translation

    with pytest.raises(ValidationError) as exc:
        idnumber.parse("320302850315011")
    assert exc.value.code == "id_first_generation"
    with translation.override("en"):
        message = str(exc.value.messages[0])
    assert "18 characters" not in message and "service hall" in message


def test_normalises_full_width_digits_and_a_lower_case_x():
    assert idnumber.parse("１１０１０５１９４９１２３１００２ｘ").number == "11010519491231002X"
    assert idnumber.parse("\u300011010519491231002x").number == "11010519491231002X"


@pytest.mark.parametrize("typed", ["买买提·艾力", "买买提•艾力", "买买提．艾力", "买买提・艾力", "买买提艾力", " 买买提 · 艾力 "])
def test_names_match_whatever_middle_dot_is_typed(typed):
    assert idnumber.same_name(typed, "买买提·艾力")
    assert idnumber.same_name("买买提·艾力", typed)


def test_names_still_differ_when_a_character_differs():
    assert not idnumber.same_name("买买提·艾利", "买买提·艾力")
    assert not idnumber.same_name("", "买买提·艾力")
    assert not idnumber.same_name("·", "·")
