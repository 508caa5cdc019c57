"""A binding suspended by a rule tells both sides why, in each reader's language, even when the engine filled the
reason's placeholders (Reason.with_detail) in another language."""
import re

from django.utils import translation

from notifications.models import Notification
from sharing import reasons
from sharing.review import person_reevaluate


def _first_words(reason, language):
    with translation.override(language):
        return re.split(r"%\(\w+\)s", str(reason.message))[0].strip()


def test_a_suspension_notice_gives_the_rule_in_the_readers_language(alice, charlie, bind):
    binding = bind(alice, charlie)
    with translation.override("zh-hans"):
        charlie.region_id = "340100"  # moves to Anhui: no cross-province sharing in Jiangsu
        charlie.save()
        person_reevaluate(person=charlie)
    binding.refresh_from_db()
    reason = getattr(reasons, binding.status_reason)
    assert binding.status == "suspended" and reason.placeholders  # a reason the engine fills in
    note = Notification.objects.filter(recipient=alice.person).order_by("-id").first()
    with translation.override("en"):
        english_title, english = note.shown_title, note.shown_body
    with translation.override("zh-hans"):
        chinese = note.shown_body
    assert english_title == "Family sharing suspended"
    assert english.startswith(f"Binding {binding.reference} with {charlie.name}: ")
    assert _first_words(reason, "en") in english and _first_words(reason, "zh-hans") not in english
    assert _first_words(reason, "zh-hans") in chinese and "%(" not in chinese + english
