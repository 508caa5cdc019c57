"""The spending filter's fixed choices are built once per language and year: the same choices the form built at
every page before, in the active language, and no form's changes reach another's."""

from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from spending.forms import FIRST_YEAR, SpendingFilterForm

PEOPLE = [("0e0e0e0e-0000-4000-8000-000000000001", "张母"), ("0e0e0e0e-0000-4000-8000-000000000002", "<b>&")]


def _as_before(people):
    """The choices as the form built them at every page (lazy labels)."""
    this_year = timezone.localdate().year
    return ([("", _("All"))] + people,
            [("", _("All years"))] + [(str(year), str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)],
            [("", _("Whole year"))] + [(f"{number:02d}", name) for number, name in MONTHS.items()])


def _text(choices):
    return [(value, str(label)) for value, label in choices]


def test_the_choices_are_those_built_before_in_each_language():
    for language in ("zh-hans", "en", "zh-hans"):
        with translation.override(language):
            form = SpendingFilterForm(None, people=PEOPLE)
            for name, expected in zip(("who", "year", "month"), _as_before(PEOPLE), strict=True):
                assert _text(form.fields[name].choices) == _text(expected), (language, name)
                assert _text(form.fields[name].widget.choices) == _text(expected), (language, name)
    with translation.override("en"):
        assert SpendingFilterForm(None, people=[]).fields["month"].choices[5] == ("05", "May")
    with translation.override("zh-hans"):
        assert SpendingFilterForm(None, people=[]).fields["month"].choices[5] == ("05", "五月")


def test_an_old_links_year_outside_the_list_stays_in_its_own_form():
    with translation.override("en"):
        old = SpendingFilterForm({"period": "2019-03"}, people=PEOPLE)
        assert ("2019", "2019") in old.fields["year"].choices and old.is_valid()
        assert old.cleaned_data["period"].label == "2019-03"
        fresh = SpendingFilterForm(None, people=[])
        assert ("2019", "2019") not in fresh.fields["year"].choices
        assert fresh.fields["who"].choices == [("", "All")]


def test_each_form_has_its_own_people():
    with translation.override("en"):
        first = SpendingFilterForm(None, people=PEOPLE)
        second = SpendingFilterForm(None, people=PEOPLE[:1], who_label="Authorizer")
    assert [value for value, _label in first.fields["who"].choices] == ["", *(pk for pk, _name in PEOPLE)]
    assert [value for value, _label in second.fields["who"].choices] == ["", PEOPLE[0][0]]
    assert first.fields["who"].label != second.fields["who"].label
