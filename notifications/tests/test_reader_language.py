"""An in-site message is shown in the language of whoever reads it, whatever the language of whoever caused it:
notify() keeps the English msgid and the parameters and renders them when read."""
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from family import services as family_services
from notifications.messages import Message, MessageList, message
from notifications.models import Notification
from notifications.services import notify


def _in(language, msgid, **params):
    with translation.override(language):
        text = gettext(msgid)
        return text % params if params else text


def _inbox(client, user, language):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(reverse("notifications:inbox")).text


def test_a_binding_made_in_chinese_reads_in_english_for_an_english_reader_and_in_chinese_for_a_chinese_one(
        client, alice, charlie, bind):
    with translation.override("zh-hans"):
        binding = bind(alice, charlie)
    body = "%(name)s (%(relation)s) can now use your personal account. Reference %(ref)s."
    english = _inbox(client, alice, "en")
    assert "Family sharing bound" in english
    assert _in("en", body, name=charlie.name, relation="Child", ref=binding.reference) in english
    chinese = _inbox(client, alice, "zh-hans")
    assert _in("zh-hans", "Family sharing bound") in chinese and "Family sharing bound" not in chinese
    assert _in("zh-hans", body, name=charlie.name, relation=_in("zh-hans", "Child"), ref=binding.reference) in chinese


def test_a_payment_notice_reads_in_the_readers_language(client, alice, charlie, bind, api):
    bind(alice, charlie)
    with translation.override("zh-hans"):
        api.settle(charlie, "12.30", request_id="lang-1")
    title = "Your personal account paid for %(member)s"
    assert _in("en", title, member=charlie.name) in _inbox(client, alice, "en")
    assert _in("zh-hans", title, member=charlie.name) in _inbox(client, alice, "zh-hans")


def test_a_family_account_request_reads_in_the_readers_language(client, alice, bob):
    with translation.override("zh-hans"):
        family_services.family_member_add(actor=alice, holder=alice.person, relation="spouse",
                                          member_name=bob.person.name, member_certno=bob.person.certno)
    title = "%(holder)s wants to add you to their family account"
    assert _in("en", title, holder=alice.person.name) in _inbox(client, bob, "en")
    assert _in("zh-hans", title, holder=alice.person.name) in _inbox(client, bob, "zh-hans")


@pytest.mark.django_db
def test_a_message_from_before_the_change_shows_its_stored_text(client, alice):
    Notification.objects.create(recipient=alice.person, title="旧消息标题", body="旧消息正文")
    english = _inbox(client, alice, "en")
    assert "旧消息标题" in english and "旧消息正文" in english


@pytest.mark.django_db
def test_the_stored_message_keeps_msgid_and_parameters_and_the_text_of_the_moment(alice):
    with translation.override("zh-hans"):
        note = notify(person=alice.person, title=message("Family sharing ended"),
                      body=message("You withdrew request %(ref)s.") % {"ref": "R-1"}, sms=False)
    note.refresh_from_db()
    assert note.message == {"title": {"msgid": "Family sharing ended", "params": {}},
                            "body": {"msgid": "You withdrew request %(ref)s.", "params": {"ref": "R-1"}}}
    assert note.title == _in("zh-hans", "Family sharing ended")  # the SMS and the admin read this
    with translation.override("en"):
        assert note.shown_title == "Family sharing ended" and note.shown_body == "You withdrew request R-1."


def test_joined_lists_nested_messages_and_lazy_labels_render_in_the_active_language():
    from registry.models import Relation

    done = MessageList([message("records printed"), message("binding %(reference)s ended") % {"reference": "R-9"}])
    text = message("%(hall)s, %(time)s: %(done)s. Questions? Ask at any service hall.") % {
        "hall": "徐州", "time": "09:00", "done": done}
    label = message("Binding %(ref)s with %(name)s: ") % {"ref": "R-9", "name": Relation.CHILD.label} + message(
        "Family sharing ended")
    stored_text, stored_label = Message.from_json(text.to_json()), Message.from_json(label.to_json())
    with translation.override("en"):
        assert stored_text.render() == "徐州, 09:00: records printed; binding R-9 ended. Questions? Ask at any service hall."
        assert stored_label.render() == "Binding R-9 with Child: Family sharing ended"
    with translation.override("zh-hans"):
        assert "records printed" not in stored_text.render()
        assert _in("zh-hans", "records printed") in stored_text.render()
        assert _in("zh-hans", "Child") in stored_label.render()
