"""Done means: every demo citizen (in Chinese, in English and in elder mode) can follow every link of the citizen
pages without a 4xx/5xx, an unfilled placeholder, template syntax, a raw reason code or a UUID in the visible text."""

import html
import re
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings

from accounts import reasons as account_reasons
from core.reasons import Reason
from demo import data as demo
from family import reasons as family_reasons
from settlement import reasons as settlement_reasons
from sharing import reasons as sharing_reasons

UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I)
SKIP = ("/admin/", "/hall/", "/api/", "/static/", "/i18n/", "/accounts/logout/", "/media/")
# Status codes stored on bindings that are not in a catalogue (none may be shown raw either).
EXTRA_CODES = {"UNBOUND"}
HASH = re.compile(r"\b[0-9a-f]{64}\b")


def catalogue_codes() -> set[str]:
    codes = set(EXTRA_CODES)
    for module in (sharing_reasons, family_reasons, account_reasons, settlement_reasons):
        codes |= {v.code for v in vars(module).values() if isinstance(v, Reason)}
    # Codes that are ordinary words of the page ("RETRY" could be a button; keep the long, unmistakable ones).
    return {c for c in codes if "_" in c} | EXTRA_CODES


CODES = re.compile(r"\b(" + "|".join(sorted(catalogue_codes(), key=len, reverse=True)) + r")\b")


def visible_text(page: str) -> str:
    """The text a reader sees: no scripts, styles, comments, tags or attribute values."""
    page = re.sub(r"<(script|style|template)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    page = re.sub(r"<[^>]*>", " ", page)
    return html.unescape(page)


def links(page: str) -> list[str]:
    return re.findall(r'<a\b[^>]*\bhref="([^"#][^"]*)"', page)


def page_problems(url: str, page: str) -> list[str]:
    problems = []
    for bad in ("%(", "{{", "{%"):
        if bad in page:
            at = page.index(bad)
            problems.append(f"{url}: {bad!r} in the page: …{page[max(0, at - 80):at + 40]!r}")
    text = visible_text(page)
    for found in set(CODES.findall(text)):
        problems.append(f"{url}: reason code {found} in the visible text")
    for found in set(HASH.findall(text)):
        problems.append(f"{url}: hash {found} in the visible text")
    for found in set(UUID.findall(text)):
        problems.append(f"{url}: UUID {found} in the visible text")
    return problems


def selfcheck_problems(client, person) -> list[str]:
    """The self-check's results (a POST) for every situation, for everyone and for each person of the circle."""
    from selfcheck.diagnosis import SITUATIONS, family_circle

    problems = []
    for situation in SITUATIONS:
        for other in [None, *family_circle(person)]:
            response = client.post("/why-sharing-failed/check/",
                                   {"situation": situation, "person": str(other.pk) if other else ""})
            url = f"self-check {situation} {other.name if other else 'everyone'}"
            if response.status_code != 200:
                problems.append(f"{url}: HTTP {response.status_code}")
                continue
            problems += page_problems(url, response.content.decode())
    return problems


def crawl(client, start=("/",), limit=150):
    seen, queue, problems = set(), list(start), []
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302):
            target = response["Location"]
            if urlsplit(target).netloc:
                continue
            queue.append(target)
            continue
        if response.status_code >= 400:
            problems.append(f"{url}: HTTP {response.status_code}")
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        page = response.content.decode()
        problems += page_problems(url, page)
        for href in links(page):
            href = html.unescape(urldefrag(href)[0])
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/") or href.startswith(SKIP):
                continue
            if href not in seen:
                queue.append(href)
    return seen, problems


CITIZEN_PAGES = ("/", "/sharing/", "/sharing/my-authorizers/", "/sharing/consent/", "/family/",
                 "/why-sharing-failed/", "/notifications/", "/accounts/me/", "/money/spending/", "/money/paid-for-me/")


@pytest.mark.django_db
@pytest.mark.parametrize("variant", ["zh", "en", "elder"])
def test_every_demo_citizen_can_follow_every_link_of_the_citizen_pages(client, variant):
    from accounts.models import User

    persons = demo.load()
    if variant == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if variant == "elder":
        client.cookies["elder_mode"] = "1"
    problems, visited = [], 0
    for _label, key in demo.LOGINS:
        client.force_login(User.objects.get(person=persons[key]))
        seen, found = crawl(client, CITIZEN_PAGES)
        visited += len(seen)
        problems += [f"{key}: {p}" for p in found + selfcheck_problems(client, persons[key])]
        client.logout()
    assert visited > 60
    assert not problems, "\n".join(problems)
