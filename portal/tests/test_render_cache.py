"""The page chrome rendered from a per-process cache (core/templatetags/render_once.py) is the same HTML as the
plain template, whoever asks, in whichever language and mode, with whatever counts."""

import re

import pytest
from django.template import Template
from django.template.context import make_context
from django.test import RequestFactory
from django.utils import translation

from core.templatetags import render_once
from notifications.services import notify
from spending.forms import FirstShown, SpendingFilterForm

PLAIN = Template('{% include "partials/header.html" %}')
CACHED = Template('{% load render_once %}{% include_cached "partials/header.html" %}')


def _render(template, user, path, *, elder=False):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    request.elder_mode = elder
    html = template.render(make_context({}, request))
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="T"', html)


@pytest.fixture(autouse=True)
def empty_cache():
    render_once._cache.clear()
    render_once._forms.clear()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("elder", [False, True])
def test_the_cached_header_is_the_plain_header(alice, hall_staff, language, elder):
    with translation.override(language):
        for user in [None, alice, hall_staff]:
            assert _render(CACHED, user, "/a/?x=<1>", elder=elder) == _render(PLAIN, user, "/a/?x=<1>", elder=elder)


def test_the_cached_header_fills_in_each_requests_counts_and_path(alice):
    first = _render(CACHED, alice, "/one/")
    assert 'data-count="unread"' not in first and first == _render(PLAIN, alice, "/one/")
    for n in (1, 2):
        notify(person=alice.person, title="t", body="b", sms=False)
        cached = _render(CACHED, alice, f"/page-{n}/")
        assert cached == _render(PLAIN, alice, f"/page-{n}/")
        assert f'data-count="unread">{n}<' in cached and f'value="/page-{n}/"' in cached
    assert len(render_once._cache) == 2  # with and without unread messages


def test_the_cached_filter_form_is_the_crispy_form(db):
    people = [("1", "张三"), ("2", "李四")]
    plain = Template('{% load crispy_forms_tags %}{% crispy form %}')
    cached = Template('{% load render_once %}{% crispy_cached form %}')
    for data in [None, {"who": "2", "year": "2026"}, {"who": "2", "year": "2026", "month": "05"}]:
        for language in ["zh-hans", "en"]:
            with translation.override(language):
                expected = plain.render(make_context({"form": SpendingFilterForm(data, people=people)}))
                for _stored_then_read in range(2):
                    form = SpendingFilterForm(data, people=people)
                    assert not form.is_bound or form.is_valid()
                    assert cached.render(make_context({"form": form})) == expected
    assert len(render_once._forms) == 6


def test_a_form_with_errors_is_never_cached(db):
    form = SpendingFilterForm({"month": "05"}, people=[])
    assert not form.is_valid()
    Template('{% load render_once %}{% crispy_cached form %}').render(make_context({"form": form}))
    assert render_once._forms == {}


def test_the_first_shown_filter_form_is_the_unbound_crispy_form_and_is_built_once(db, monkeypatch):
    plain = Template('{% load crispy_forms_tags %}{% crispy form %}')
    cached = Template('{% load render_once %}{% crispy_cached form %}')
    built = []
    build = FirstShown.form
    monkeypatch.setattr(FirstShown, "form", lambda self: built.append(1) or build(self))
    for people, label in [([("1", "张三")], None), ([("1", "张三"), ("2", "李四")], None), ([("2", "李四")], "授权人")]:
        for language in ["zh-hans", "en"]:
            with translation.override(language):
                expected = plain.render(make_context({"form": SpendingFilterForm(None, people=people, who_label=label)}))
                for _stored_then_read in range(2):
                    assert cached.render(make_context({"form": FirstShown(people=people, who_label=label)})) == expected
    assert len(built) == len(render_once._forms) == 6  # once per language and list, not once per page
