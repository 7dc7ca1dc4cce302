"""The staff's side in the admin: who sees a conversation, the audit log of every opening, the queue
(only waiting time, topic, language, life stage), claiming, answering, closing, and no text in logs."""

import logging

import pytest

from django.contrib.auth.models import Group, Permission

from wagtail.models import ModelLogEntry

from consultations import services
from consultations.access import SUPERVISORS_GROUP
from consultations.models import Channel, CloseCode, Conversation, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(medical):
    conversation, _created = services.open_conversation(
        topic="child", channel=Channel.LINE, language="en", line_user_id="U" + "1" * 32, life_stage="infant"
    )
    services.add_family_message(conversation, "My baby has a rash", webhook_event_id="e1")
    return conversation


def test_only_the_services_staff_and_supervisors_open_a_conversation(
    client, conversation, counselling, make_staff, medical, administrator
):
    outsider = make_staff(counselling, "counsellor")
    client.force_login(outsider)
    refused = client.get(f"/admin/consultations/{conversation.pk}/")
    assert refused.status_code in (302, 403) and b"rash" not in refused.content
    assert client.get(f"/admin/consultations/{conversation.pk}/messages.json").status_code in (302, 403)
    client.force_login(administrator)  # a superuser is not entitled to health data by being one
    assert client.get(f"/admin/consultations/{conversation.pk}/").status_code in (302, 403)
    administrator.groups.add(Group.objects.get(name=SUPERVISORS_GROUP))
    client.force_login(administrator)
    assert client.get(f"/admin/consultations/{conversation.pk}/").status_code == 200


def test_every_opening_is_in_the_audit_log_without_the_text(client, conversation, make_staff, medical):
    staff = make_staff(medical, "midwife")
    client.force_login(staff)
    response = client.get(f"/admin/consultations/{conversation.pk}/")
    assert "My baby has a rash" in response.content.decode()
    client.get(f"/admin/consultations/{conversation.pk}/")
    entries = ModelLogEntry.objects.filter(action="oyako.consultation_opened", object_id=str(conversation.pk))
    assert entries.count() == 2 and entries.first().user == staff
    assert "rash" not in str(entries.first().data) + entries.first().label


def test_the_queue_shows_only_wait_topic_language_and_life_stage_crisis_first(
    client, conversation, make_staff, medical
):
    later, _created = services.open_conversation(topic="pregnancy", channel=Channel.WEB, language="ja")
    services.add_family_message(later, "もう死にたい", crisis=True)
    client.force_login(make_staff(medical, "midwife"))
    rows = client.get("/admin/consultations/queue.json").json()["rows"]
    assert [row["id"] for row in rows] == [later.pk, conversation.pk]
    assert set(rows[0]) == {
        "id",
        "url",
        "waiting_minutes",
        "answered",
        "topic",
        "language",
        "life_stage",
        "crisis",
        "status",
        "mine",
        "taken",
    }
    assert "rash" not in str(rows)


def test_the_queue_names_the_language_in_the_staffs_language_with_its_own_open_label(
    client, conversation, make_staff, medical
):
    from wagtail.users.models import UserProfile

    for language in ("vi", "ja-x-easy"):
        services.open_conversation(topic="child", channel=Channel.WEB, language=language)
    staff = make_staff(medical, "midwife")
    client.force_login(staff)
    html = client.get("/admin/consultations/").content.decode()
    for name in ("<td>英語(米国)</td>", "<td>ベトナム語</td>", "<td>やさしい日本語</td>"):
        assert name in html, name
    assert "<td>vi</td>" not in html and "<td>ja-x-easy</td>" not in html
    # Its own "Open" (open the conversation), not the bookings' slot that is open (空き).
    assert '<span class="w-sr-only">開く</span>' in html and 'data-open="開く"' in html
    assert "visuallyhidden" not in html and "空き" not in html

    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "en"
    profile.save()
    rows = client.get("/admin/consultations/queue.json").json()["rows"]
    assert sorted(row["language"] for row in rows) == ["Easy Japanese", "English", "Vietnamese"]


def test_claim_reply_and_close_from_the_admin(client, conversation, make_staff, medical, outbox):
    from wagtail.users.models import UserProfile

    first, second = make_staff(medical, "midwife"), make_staff(medical, "doctor")
    client.force_login(first)
    client.post(f"/admin/consultations/{conversation.pk}/claim/")
    profile = UserProfile.get_for_user(second)
    profile.preferred_language = "ja"
    profile.save()
    client.force_login(second)
    response = client.post(f"/admin/consultations/{conversation.pk}/claim/", follow=True)
    # In the staff member's own language, whatever an earlier test left active.
    assert "この相談は、すでに別のスタッフが担当しています。" in response.content.decode()
    response = client.post(
        f"/admin/consultations/{conversation.pk}/reply/", {"text": "not mine"}, follow=True
    )
    assert conversation.messages.count() == 1 and not outbox.rows().exists()
    client.force_login(first)
    client.post(f"/admin/consultations/{conversation.pk}/reply/", {"text": "Is there a fever?"})
    assert [row.kind for row in outbox.rows()] == ["consultation.reply"]  # sent once the request commits
    client.post(f"/admin/consultations/{conversation.pk}/note/", {"text": "follow up tomorrow"})
    assert conversation.notes.get().text == "follow up tomorrow"
    client.post(f"/admin/consultations/{conversation.pk}/close/", {"code": ""})
    assert Conversation.objects.get(pk=conversation.pk).status == Status.CLAIMED  # no code: nothing changed
    client.post(
        f"/admin/consultations/{conversation.pk}/close/", {"code": CloseCode.objects.get(code="skin").pk}
    )
    assert Conversation.objects.get(pk=conversation.pk).status == Status.CLOSED


def test_what_families_and_staff_write_is_never_logged(
    client, conversation, make_staff, medical, outbox, caplog
):
    caplog.set_level(logging.DEBUG)
    staff = make_staff(medical, "midwife")
    client.force_login(staff)
    client.get(f"/admin/consultations/{conversation.pk}/")
    client.post(f"/admin/consultations/{conversation.pk}/claim/")
    client.post(f"/admin/consultations/{conversation.pk}/reply/", {"text": "SECRET-ANSWER"})
    services.add_family_message(Conversation.objects.get(pk=conversation.pk), "SECRET-QUESTION")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "SECRET" not in logged and "rash" not in logged and conversation.line_user_id not in logged


def test_the_menu_item_is_shown_only_to_staff(client, make_staff, medical, administrator):
    client.force_login(administrator)
    assert "/admin/consultations/" not in client.get("/admin/").content.decode()
    client.force_login(make_staff(medical, "midwife"))
    assert "/admin/consultations/" in client.get("/admin/").content.decode()
    assert Permission.objects.filter(codename="supervise_conversations").exists()
