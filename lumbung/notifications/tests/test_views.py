"""The notification list, opening one and marking all read: each user sees and touches only
their own; opening goes to the notification's local link only."""

import pytest
from django.urls import reverse

from lumbung.notifications.models import Notification
from lumbung.notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_the_list_shows_only_my_notifications(client, anna):
    notify(recipients=[anna], title="Untuk Anna", email=False)
    notify(recipients=[UserFactory()], title="Untuk orang lain", email=False)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Untuk Anna" in page
    assert "Untuk orang lain" not in page


def test_an_empty_list_says_so(client, anna):
    assert "Belum ada notifikasi." in client.get(reverse("notifications:list")).content.decode()


def test_the_list_pages_by_25_with_a_constant_number_of_queries(client, anna, django_assert_max_num_queries):
    Notification.objects.bulk_create([Notification(recipient=anna, title=f"Pesan {i}") for i in range(60)])
    client.get(reverse("notifications:list"))  # warm the session and the menu
    with django_assert_max_num_queries(12):
        first = client.get(reverse("notifications:list")).content.decode()
    with django_assert_max_num_queries(12):
        last = client.get(reverse("notifications:list") + "?page=3").content.decode()
    assert first.count('class="card unread"') == 25
    assert last.count('class="card unread"') == 10


def test_opening_marks_read_and_follows_the_local_link(client, anna):
    [notification] = notify(recipients=[anna], title="Buka", url="/beranda/", email=False)
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/beranda/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_never_redirects_off_site(client, anna):
    [notification] = notify(recipients=[anna], title="Aneh", url="https://evil.test/", email=False)
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_someone_elses_notification_is_not_found_and_stays_unread(client, anna):
    [theirs] = notify(recipients=[UserFactory()], title="Rahasia", email=False)
    assert client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_needs_a_post(client, anna):
    [notification] = notify(recipients=[anna], title="Buka", email=False)
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 405


def test_read_all_marks_only_mine(client, anna):
    notify(recipients=[anna, anna], title="Milikku", email=False)
    notify(recipients=[anna], title="Milikku juga", email=False)
    [theirs] = notify(recipients=[UserFactory()], title="Milik orang lain", email=False)
    response = client.post(reverse("notifications:read-all"))
    assert response["Location"] == reverse("notifications:list")
    assert Notification.objects.unread().get() == theirs


def test_the_menu_counts_my_unread_notifications(client, anna):
    notify(recipients=[anna], title="Satu", email=False)
    notify(recipients=[anna], title="Dua", email=False)
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = anna
    rendered = Template("{% load notifications %}{% unread_count %}").render(Context({"request": request}))
    assert rendered == "2"


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_preferences_are_saved_and_shown(client, anna):
    from lumbung.notifications.models import Delivery, Kind, Preference

    url = reverse("notifications:preferences")
    page = client.get(url).content.decode()
    assert "Tenggat tahapan penilaian" in page
    choices = {kind: Delivery.IMMEDIATE for kind in Kind.values} | {Kind.STAGE_DEADLINE: Delivery.DIGEST}
    assert client.post(url, choices)["Location"] == url
    assert Preference.objects.get(user=anna, kind=Kind.STAGE_DEADLINE).delivery == Delivery.DIGEST
    assert 'value="digest" selected' in client.get(url).content.decode()


def test_an_unknown_delivery_is_refused_and_nothing_is_saved(client, anna):
    from lumbung.notifications.models import Kind, Preference

    choices = {kind: "immediate" for kind in Kind.values} | {Kind.GENERAL: "pigeon"}
    response = client.post(reverse("notifications:preferences"), choices)
    assert response.status_code == 200
    assert "Masukkan pilihan yang valid." in response.content.decode()
    assert not Preference.objects.filter(user=anna).exists()
