"""Booking on the site with a contact only, and from LINE's single-use signed link; the crisis check
runs first on the few words a family gives."""

import datetime

import pytest

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from bookings import links
from bookings.factories import SessionTypeFactory, SlotFactory
from bookings.models import Booking, BookingLink, Channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def slots():
    session_type = SessionTypeFactory()
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=2)
    return [
        SlotFactory(session_type=session_type, starts_at=start + datetime.timedelta(hours=h))
        for h in range(2)
    ]


def url(slot):
    return reverse("bookings:book", args=[slot.session_type_id])


def test_a_family_books_on_the_site_with_a_contact(client, slots, direct):
    page = client.get(url(slots[0]))
    assert page.status_code == 200 and f'value="{slots[0].pk}"' in page.content.decode()
    response = client.post(
        url(slots[0]), {"slot": slots[0].pk, "contact": "090-1234-5678", "note": "【サンプル】授乳"}
    )
    booking = Booking.objects.get()
    assert response.status_code == 200 and booking.number in response.content.decode()
    assert (booking.channel, booking.contact, booking.line_user_id) == (Channel.SITE, "090-1234-5678", "")
    # The slot is no longer offered, and a second family is told it is gone.
    assert f'value="{slots[0].pk}"' not in client.get(url(slots[0])).content.decode()
    again = client.post(url(slots[0]), {"slot": slots[0].pk, "contact": "b@example.jp"})
    assert again.status_code == 409 and Booking.objects.count() == 1


def test_bad_input_gets_a_clear_error_and_books_nothing(client, slots, direct):
    for data in (
        {"slot": slots[0].pk, "contact": "nonsense"},
        {"contact": "a@example.jp"},
        {"slot": slots[0].pk},
    ):
        response = client.post(url(slots[0]), data)
        assert response.status_code == 400
        assert 'class="booking__field-error"' in response.content.decode()
    assert not Booking.objects.exists()


def test_a_crisis_in_the_few_words_gets_the_crisis_reply_first(client, slots, direct, approved_crisis_reply):
    response = client.post(
        url(slots[0]), {"slot": slots[0].pk, "contact": "a@example.jp", "note": "もう死にたい"}
    )
    body = response.content.decode()
    assert "サンプル承認文" in body
    assert "死にたい" not in body  # the words are not kept, not even in the form
    assert not Booking.objects.exists()


def test_the_signed_link_books_once_for_the_follower_it_was_made_for(client, slots, direct):
    address = links.booking_link(slots[0].session_type, "U" + "1" * 32, "ja")
    path = address.split("127.0.0.1:8000")[-1] if "127.0.0.1" in address else address
    assert "U111" not in path
    assert client.get(path).status_code == 200
    response = client.post(path, {"slot": slots[0].pk})
    booking = Booking.objects.get()
    assert response.status_code == 200
    assert (booking.channel, booking.line_user_id) == (Channel.LINE, "U" + "1" * 32)
    assert f"booking:{booking.pk}:{slots[0].pk}:confirmation" in direct.rows
    # Used once: the link no longer opens or books.
    assert client.get(path).status_code == 410
    assert client.post(path, {"slot": slots[1].pk}).status_code == 410
    assert Booking.objects.count() == 1


def test_a_tampered_or_expired_link_opens_nothing(client, slots, time_machine):
    BookingLink.objects.create(session_type=slots[0].session_type, line_user_id="U2", nonce="known")
    forged = signing.dumps("known", salt="another")
    assert client.get(reverse("bookings:book_from_line", args=[forged])).status_code == 410
    token = signing.dumps("known", salt=links.SALT)
    assert client.get(reverse("bookings:book_from_line", args=[token])).status_code == 200
    time_machine.move_to(timezone.now() + datetime.timedelta(seconds=links.MAX_AGE + 60))
    assert client.get(reverse("bookings:book_from_line", args=[token])).status_code == 410
