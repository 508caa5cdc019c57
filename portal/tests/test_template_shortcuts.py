"""The template shortcuts (core/templatetags/i18n_memo.py, static_memo.py, fast_builtins.py) give the HTML Django's own tags and
filters give: tag by tag, and whole citizen pages rendered both ways."""

import copy
import datetime
import re
import uuid
import zoneinfo

import pytest
from django.conf import settings
from django.template import Context, Engine
from django.test import override_settings
from django.urls import NoReverseMatch, clear_url_caches, reverse, set_script_prefix, set_urlconf
from django.utils import timezone, translation

from core import reversing
from core.templatetags import fast_builtins, render_once

FAST = Engine(builtins=["core.templatetags.fast_builtins"])
DJANGO = Engine()

SHANGHAI, UTC = zoneinfo.ZoneInfo("Asia/Shanghai"), datetime.UTC
MOMENTS = [
    datetime.datetime(2026, 1, 31, 16, 5, 9, tzinfo=UTC),  # the next day in Shanghai
    datetime.datetime(2025, 12, 31, 23, 59, tzinfo=SHANGHAI),
    datetime.datetime(2024, 2, 29, 0, 0),  # naive
    datetime.datetime(999, 3, 4, 5, 6, tzinfo=UTC),
    datetime.date(2026, 7, 1), datetime.date(12, 1, 2),
    None, "", "2026-01-01", 0, timezone.now(),
]
FORMATS = ['"Y-m-d"', '"Y-m-d H:i"', "'Y-m-d'", '"Y-m-d H:i:s"', '"DATE_FORMAT"', '"d.m.Y"', "", ':"Y-m-d"|upper']


def _both(source, values):
    """What each engine renders, or the error it raises."""
    outcomes = []
    for engine in (FAST, DJANGO):
        try:
            outcomes.append(engine.from_string(source).render(Context(values)))
        except (TypeError, ValueError) as error:
            outcomes.append(repr(error))
    return outcomes


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC"])
def test_the_date_filter_shows_what_djangos_shows(language, zone):
    with translation.override(language), timezone.override(zone):
        for moment in MOMENTS:
            for fmt in FORMATS:
                arg = fmt if fmt.startswith(":") else (f":{fmt}" if fmt else "")
                source = "{{ v|date" + arg + " }}|{% autoescape off %}{{ v|date" + arg + " }}{% endautoescape %}"
                fast, plain = _both(source, {"v": moment})
                assert fast == plain, (moment, fmt)
    with timezone.override("Asia/Shanghai"):
        assert _both('{{ v|date:"Y-m-d H:i" }}', {"v": MOMENTS[0]}) == ["2026-02-01 00:05"] * 2


def test_the_date_filter_is_the_one_templates_get():
    assert FAST.from_string('{{ v|date:"Y-m-d" }}').nodelist[0].filter_expression.filters[0][0] is fast_builtins.date


URLS = [
    "{% url 'money:spending' %}",
    "{% url 'sharing:binding_detail' pk %}|{% url 'sharing:binding_detail' binding_id=pk %}",
    "{% url 'sharing:binding_detail' other %}",
    "{% url 'money:spending' as s %}[{{ s }}]",
    "{% url 'no:such' as s %}[{{ s }}]",
    "{% url name %}",
    "{% url 'sharing:binding_detail' text %}",
]


def _urls(values):
    return [_both(source, values) for source in URLS]


def test_the_url_tag_gives_djangos_paths_again_after_the_prefix_or_the_urlconf_changes():
    values = {"pk": uuid.uuid4(), "other": uuid.uuid4(), "name": "family:home", "text": str(uuid.uuid4())}
    for _first_then_remembered in range(2):
        for fast, plain in _urls(values):
            assert fast == plain
    assert _both("{% url 'sharing:binding_detail' pk %}", values)[0] == reverse("sharing:binding_detail",
                                                                                args=[values["pk"]])
    set_script_prefix("/portal/")
    try:
        for fast, plain in _urls(values):
            assert fast == plain
        assert _both("{% url 'money:spending' %}", {})[0].startswith("/portal/")
    finally:
        set_script_prefix("/")
    assert _both("{% url 'money:spending' %}", {})[0] == "/money/spending/"
    set_urlconf("portal.tests.urls_elsewhere")  # a request's own URLconf (request.urlconf)
    try:
        assert _both("{% url 'money:spending' %}", {}) == ["/elsewhere/spending/"] * 2
    finally:
        set_urlconf(None)
    assert _both("{% url 'money:spending' %}", {})[0] == "/money/spending/"
    with override_settings(ROOT_URLCONF="portal.tests.urls_elsewhere"):
        assert _both("{% url 'money:spending' %}", {}) == ["/elsewhere/spending/"] * 2
    clear_url_caches()
    assert _both("{% url 'money:spending' %}", {}) == ["/money/spending/"] * 2


def test_a_missing_url_still_fails_as_djangos_does():
    for engine in (FAST, DJANGO):
        with pytest.raises(NoReverseMatch):
            engine.from_string("{% url 'no:such' %}").render(Context())
        with pytest.raises(NoReverseMatch):
            engine.from_string("{% url 'sharing:binding_detail' %}").render(Context())


def test_the_url_tag_keeps_only_plain_arguments_and_a_bounded_number():
    from django.urls import get_resolver

    memo = get_resolver().__dict__.setdefault(reversing._ATTRIBUTE, {})
    memo.clear()
    template = FAST.from_string("{% url 'sharing:binding_detail' pk %}")
    for _ in range(reversing._KEPT + 10):
        template.render(Context({"pk": uuid.uuid4()}))
    assert 0 < len(get_resolver().__dict__[reversing._ATTRIBUTE]) <= reversing._KEPT + 1
    assert not reversing._plain(True) and not reversing._plain(1.5) and reversing._plain(uuid.uuid4())


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC", "America/New_York"])
def test_the_minute_text_of_table_rows_is_djangos_date_filter(zone):
    from core.texts import minute_texter

    aware = [m for m in MOMENTS if isinstance(m, datetime.datetime) and m.tzinfo and m.year >= 1000]
    aware += [datetime.datetime(2026, 3, 8, 6, 59, 59, 999999, tzinfo=UTC),  # around a daylight-saving change
              datetime.datetime(2026, 3, 8, 7, 0, tzinfo=UTC)]
    with timezone.override(zone):
        shown = minute_texter()
        for moment in aware:
            assert shown(moment) == DJANGO.from_string('{{ v|date:"Y-m-d H:i" }}').render(Context({"v": moment}))


@pytest.mark.parametrize("source", ['{% now "Y-m-d H:i" %}', '{% now "Y-m-d" %}', '{% now "Y" %}',
                                    '{% now "Y-m-d H:i" as t %}[{{ t }}]', '{% now "DATE_FORMAT" %}'])
def test_the_now_tag_shows_what_djangos_shows(source):
    for language, zone in [("zh-hans", "Asia/Shanghai"), ("en", "UTC")]:
        with translation.override(language), timezone.override(zone):
            for _attempt in range(3):  # the minute may turn between the two renders
                fast, plain = _both(source, {})
                if fast == plain:
                    break
            assert fast == plain and fast.strip("[]")


STATIC = Engine(libraries={"static": "core.templatetags.static_memo"})
DJANGO_STATIC = Engine(libraries={"static": "django.templatetags.static"})


def test_the_static_tag_gives_djangos_urls_and_forgets_them_with_the_storage():
    from django.contrib.staticfiles.storage import staticfiles_storage

    source = "{% load static %}{% static 'css/portal.css' %}|{% static path %}|{% static 'a b.css' as x %}{{ x }}"
    for static_url in ["/static/", "/other/"]:
        with override_settings(STATIC_URL=static_url):
            for _stored_then_read in range(2):
                memo = STATIC.from_string(source).render(Context({"path": "js/portal.js"}))
                assert memo == DJANGO_STATIC.from_string(source).render(Context({"path": "js/portal.js"}))
                assert memo.startswith(static_url)
            assert "css/portal.css" in staticfiles_storage._wrapped.__dict__["_portal_static_urls"]


# Whole pages: Django's own tags and filters against the shortcuts.

@pytest.fixture
def paid(api, alice, bob, charlie, bind):
    bind(alice, charlie)
    for i, amount in enumerate(["100.00", "40.50"]):
        api.settle(charlie, amount, request_id=f"p{i}")


def _django_only():
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"].pop("libraries")
    templates[0]["OPTIONS"].pop("builtins")
    return override_settings(TEMPLATES=templates)


def _page(client, url):
    render_once._cache.clear()  # the header must be rendered by each engine, not read from the other's cache
    render_once._forms.clear()
    text = client.get(url).text
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d</p>\s*</header>", "", text)  # the print time


def test_citizen_pages_are_the_same_html_with_djangos_tags_and_with_the_shortcuts(client, alice, charlie, paid):
    client.force_login(alice)
    urls = [reverse("accounts:my_insurance"), "/sharing/", reverse("money:spending"),
            reverse("money:paid_for_me"), "/notifications/", "/family/", "/"]
    for language in ["zh-hans", "en"]:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        with _django_only():
            plain = {url: _page(client, url) for url in urls}
        shortcuts = {url: _page(client, url) for url in urls}
        shortcuts_again = {url: _page(client, url) for url in urls}
        assert shortcuts == plain == shortcuts_again
        spending = shortcuts[reverse("money:spending")]
        assert ("支出明细" if language == "zh-hans" else "Spending details") in spending
        assert 'data-binding="' in shortcuts["/sharing/"] and re.search(r"\d{4}-\d\d-\d\d", shortcuts["/sharing/"])
