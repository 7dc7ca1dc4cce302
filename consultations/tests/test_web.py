"""The browser version: a single-use signed link, no account, the crisis check on every message,
the staff's replies read by polling, closing and rating."""

import pytest

from django.core import signing

from consultations import services
from consultations.models import Conversation, Message, Status

pytestmark = pytest.mark.django_db


def start(client, text="子どもの発疹が心配です", topic="child"):
    return client.post("/consult/", {"topic": topic, "text": text})


def test_a_family_starts_in_the_browser_and_reads_the_staffs_reply(client, medical, make_staff, outbox):
    response = start(client)
    assert response.status_code == 302
    link = response["Location"]
    chat = client.get(link, follow=True)
    assert "子どもの発疹が心配です" in chat.content.decode()
    # The site's own screen-reader class (home/static/css/oyako.css), not the admin's.
    assert '<h2 id="chat-heading" class="visually-hidden">' in chat.content.decode()
    conversation = Conversation.objects.get()
    assert conversation.channel == "web" and conversation.line_user_id is None

    staff = make_staff(medical, "midwife")
    services.claim(conversation.pk, staff)
    services.reply(conversation, staff, "写真はありますか？")
    assert not outbox.rows().exists()  # a browser conversation is read on the page, not pushed
    first = conversation.messages.first().pk
    data = client.get(f"/consult/chat/messages.json?after={first}").json()
    assert [m["text"] for m in data["messages"]] == ["写真はありますか？"] and data["open"]

    client.post("/consult/chat/", {"text": "あります"})
    assert conversation.messages.last().text == "あります"
    client.post("/consult/chat/close/")
    assert client.post("/consult/chat/rate/", {"rating": "9"}).status_code == 400
    client.post("/consult/chat/rate/", {"rating": "4"})
    conversation.refresh_from_db()
    assert (conversation.status, conversation.rating) == (Status.CLOSED, 4)


def test_the_link_opens_once_and_a_forged_one_never(client, medical):
    link = start(client)["Location"]
    assert client.get(link).status_code == 302
    other = client.__class__()
    assert other.get(link).status_code == 403  # a forwarded link opens nothing
    assert other.get("/consult/chat/").status_code == 404
    forged = signing.dumps({"c": Conversation.objects.get().public_id.hex}, salt="another")
    assert other.get(f"/consult/l/{forged}/").status_code == 403


def test_a_crisis_message_in_the_browser_shows_the_crisis_numbers_first(client, medical, make_staff):
    make_staff(medical, "midwife")
    response = start(client, text="もう死にたい")
    assert response.status_code == 200 and "119" in response.content.decode()
    conversation = Conversation.objects.get()
    assert conversation.crisis_at and Message.objects.get().crisis
    client.get(response.context["link"])
    page = client.post("/consult/chat/", {"text": "消えたい"})
    assert "119" in page.content.decode()


def test_bad_input_gets_a_clear_error_and_changes_nothing(client, medical):
    response = start(client, topic="unknown")
    assert response.status_code == 400 and not Conversation.objects.exists()
    assert start(client, text="  ").status_code == 400
    assert start(client, text="x" * 5001).status_code == 400
    assert not Conversation.objects.exists()


def test_the_page_fits_a_phone_and_labels_its_fields(client, medical):
    page = client.get("/consult/").content.decode()
    assert 'name="viewport"' in page and 'for="start-text"' in page and "<legend>" in page
