"""`{% translate "constant" %}` remembered per catalogue (core/templatetags/i18n_memo.py) renders what Django's tag
renders, in every language, after any switch of language in one process (the pages: test_template_shortcuts.py)."""

import copy

import pytest
from django.conf import settings
from django.template import Context, Engine
from django.test import override_settings
from django.utils import translation
from django.utils.safestring import SafeData
from django.utils.translation import trans_real

from core.templatetags import i18n_memo

MEMO = Engine(libraries={"i18n": "core.templatetags.i18n_memo"})
DJANGO = Engine(libraries={"i18n": "django.templatetags.i18n"})

SNIPPETS = [
    '{% translate "Spending details" %}',
    '{% trans "Spending details" %}',
    "{% translate 'Spending details' %}",
    '{% translate "Payments" as label %}[{{ label }}]{% translate "Payments" as label %}{{ label|upper }}',
    '{% translate "Allowed" context "policy" %}|{% translate "Allowed" %}|{% translate "Allowed" context "" %}'
    '{% translate "Month" context "calendar" as m %}{{ m }}',
    '{% translate "Allowed" context ctx %}',
    '{% translate "100%% of <b>\'s" %}|{% translate "50% & more" %}',
    '{% translate "Spending details" noop %}',
    "{% translate name %}|{% translate name as n %}{{ n }}",
    '{% translate "Spending details"|upper %}|{% translate "a\\"b" %}',
    '{% translate "" %}|{% translate "Not in any catalogue <i>" %}',
    '{% autoescape off %}{% translate "Spending details" %}{% translate "a < b" %}{% endautoescape %}',
    '{% get_current_language as code %}{{ code }}{% language "en" %}{% translate "Spending details" %}{% endlanguage %}'
    '{% translate "Spending details" %}',
    '{% blocktranslate %}Print{% endblocktranslate %}',
]
VALUES = {"name": "Payments", "ctx": "policy"}


def _render(engine, source, values=VALUES):
    return engine.from_string("{% load i18n %}" + source).render(Context(values))


@pytest.mark.parametrize("source", SNIPPETS)
def test_the_remembered_tag_renders_what_djangos_renders_in_each_language(source):
    for language in ["zh-hans", "en", "zh-hans", None, "en"]:
        with translation.override(language):
            for _first_then_remembered in range(2):
                remembered, plain = _render(MEMO, source), _render(DJANGO, source)
                assert remembered == plain
                assert isinstance(remembered, SafeData) == isinstance(plain, SafeData)


def test_after_switching_language_the_tag_says_it_in_the_new_language():
    template = MEMO.from_string('{% load i18n %}{% translate "Spending details" %}|{% translate "Print" as p %}{{ p }}')
    seen = []
    for language in ["zh-hans", "en", "zh-hans", "en"]:
        translation.activate(language)
        try:
            seen.append(template.render(Context()))
        finally:
            translation.deactivate()
    assert seen == ["支出明细|打印", "Spending details|Print"] * 2
    with translation.override(None):  # deactivate_all: the message ids themselves
        assert template.render(Context()) == "Spending details|Print"


def test_each_catalogue_remembers_its_own_texts_and_reloaded_catalogues_start_empty():
    template = MEMO.from_string('{% load i18n %}{% translate "Spending details" %}')
    with translation.override("en"):
        template.render(Context())
        english = trans_real.catalog()
    with translation.override("zh-hans"):
        template.render(Context())
        chinese = trans_real.catalog()
    assert getattr(english, i18n_memo._ATTRIBUTE)[("Spending details", None)] == "Spending details"
    assert getattr(chinese, i18n_memo._ATTRIBUTE)[("Spending details", None)] == "支出明细"
    with override_settings(LOCALE_PATHS=[*settings.LOCALE_PATHS]):  # Django reloads every catalogue
        with translation.override("zh-hans"):
            assert trans_real.catalog() is not chinese
            assert not hasattr(trans_real.catalog(), i18n_memo._ATTRIBUTE)
            assert template.render(Context()) == "支出明细"


def test_only_constant_filter_free_tags_are_remembered():
    def remembered(source):
        nodes = MEMO.from_string("{% load i18n %}" + source).nodelist.get_nodes_by_type(i18n_memo.TranslateNode)
        return [node.memo_key for node in nodes]

    assert remembered('{% translate "a" %}{% translate "a" context "c" %}{% translate "a" as x %}') == [
        ("a", None), ("a", "c"), ("a", None)]
    assert remembered('{% translate v %}{% translate "a"|upper %}{% translate "a" noop %}{% translate "a" context v %}'
                      ) == [None] * 4


def test_the_library_is_the_one_every_load_i18n_gets():
    from django.template import engines

    assert engines["django"].engine.libraries["i18n"] == "core.templatetags.i18n_memo"
    # Everything else of Django's library is there.
    from django.templatetags import i18n

    assert set(i18n.register.tags) <= set(i18n_memo.register.tags)
    assert set(i18n.register.filters) == set(i18n_memo.register.filters)


def test_two_modules_under_another_library_name_are_still_warned_about():
    assert i18n_memo.library_names_check() == []
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["libraries"]["money"] = "core.templatetags.render_once"
    with override_settings(TEMPLATES=templates):
        warnings = i18n_memo.library_names_check()
    assert [warning.id for warning in warnings] == ["core.W003"] and "'money'" in warnings[0].msg
