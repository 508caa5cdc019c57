import os
import subprocess
import sys

from django.test import override_settings
from django.urls import reverse

from portal import views


def test_home_page_shows_the_three_main_tasks(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert response.text.count('class="task"') == 3


def test_the_default_language_is_simplified_chinese(client, db):
    response = client.get("/")
    assert '<html lang="zh-Hans">' in response.text
    assert "我的参保" in response.text


def test_a_browser_asking_for_english_still_gets_chinese_until_the_user_chooses(client, db):
    text = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").text
    assert '<html lang="zh-Hans">' in text


def test_a_page_says_its_language_and_that_it_varies_by_the_cookie_not_the_browser(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    vary = {value.strip() for value in response["Vary"].split(",")}
    assert "Cookie" in vary and "Accept-Language" not in vary
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.get("/")["Content-Language"] == "en"


def test_english_is_available_and_remembered(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    text = client.get("/").text
    assert '<html lang="en">' in text and "My insurance" in text


def test_elder_mode_is_a_remembered_choice_on_every_page(client, db):
    response = client.post(reverse("elder_mode"), {"elder": "1", "next": "/accounts/login/"})
    # Back to the same page, at the toggle (focus stays on it).
    assert response.status_code == 302 and response.url == "/accounts/login/#elder-toggle"
    assert 'class="elder"' in client.get("/accounts/login/").text
    client.post(reverse("elder_mode"), {"elder": "0", "next": "/"})
    assert 'class="elder"' not in client.get("/").text


def test_elder_mode_never_redirects_off_site(client, db):
    response = client.post(reverse("elder_mode"), {"elder": "1", "next": "https://evil.example/"})
    assert response.url == "/#elder-toggle"


def test_the_elder_mode_toggle_keeps_one_name_and_says_by_its_pressed_state_whether_it_is_on(client, db):
    import re

    for cookie, pressed in (("0", "false"), ("1", "true")):
        client.cookies["elder_mode"] = cookie
        page = client.get("/").text
        button = re.search(r'<button[^>]*id="elder-toggle"[^>]*>(.*?)</button>', page, re.S)
        assert f'aria-pressed="{pressed}"' in button.group(0)
        name = re.sub(r'<span[^>]*aria-hidden="true"[^>]*>.*?</span>', "", button.group(1), flags=re.S).strip()
        assert name == "长辈模式"


def test_error_summary_links_of_a_radio_question_point_at_its_first_option(client, alice):
    client.force_login(alice)
    page = client.post(reverse("sharing:bind_relation"), {"relation": ""}).text
    assert 'href="#id_relation_0"' in page and 'id="id_relation_0"' in page and 'href="#"' not in page


def test_a_get_of_the_elder_mode_toggle_goes_home_and_changes_nothing(client, db):
    response = client.get(reverse("elder_mode"))
    assert response.status_code == 302 and response.url == reverse("home") and "elder_mode" not in response.cookies


def test_pages_send_a_content_security_policy_with_a_nonce_and_no_cdn(client, db):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert "http://" not in response.text.replace("http://www.w3.org", "")
    assert "https://" not in response.text


def test_unknown_pages_get_a_friendly_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.text


@override_settings(DEBUG=False)
def test_a_server_error_gets_a_friendly_page_without_touching_the_database(rf):
    response = views.server_error(rf.get("/"))
    assert response.status_code == 500 and "没有被保存" in response.content.decode()


def test_an_expired_form_gets_a_friendly_csrf_page(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403 and "页面已过期" in response.text


def test_production_settings_pass_the_deploy_check():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings",
               DJANGO_SECRET_KEY="x" * 20 + "-prod-key-with-enough-entropy-9876543210abcdef",
               DJANGO_ALLOWED_HOSTS="gjt.example.gov.cn", DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://u@h/db"))
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr.upper().replace("WARNINGS", "")


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", DATABASE_URL="postgres://u@h/db")
    result = subprocess.run([sys.executable, "manage.py", "check"], capture_output=True, text=True, env=env)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_every_required_field_has_a_message_of_its_own_and_the_summary_reads_as_sentences(client, alice):
    from django import forms

    from core.forms import PortalForm

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    import accounts.forms  # noqa: F401
    import family.forms  # noqa: F401
    import hall.forms  # noqa: F401
    import selfcheck.forms  # noqa: F401
    import sharing.forms  # noqa: F401

    default = str(forms.Field.default_error_messages["required"])
    for form_class in subclasses(PortalForm):
        try:
            form = form_class()
        except TypeError:  # needs arguments of its own (a registered name, a user): their fields are built alike
            continue
        for name, field in form.fields.items():
            if field.required:
                assert str(field.error_messages["required"]) != default, (form_class.__name__, name)
    client.force_login(alice)
    page = client.post(reverse("sharing:bind_relation"), {"relation": ""}).content.decode()
    summary = page.split('id="error-summary"', 1)[1].split("</ul>", 1)[0]
    assert "：" not in summary
