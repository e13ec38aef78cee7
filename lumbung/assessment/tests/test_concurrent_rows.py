"""Two people answering one row: the second save from a stale form is refused with what the
first one left, nothing is overwritten, and saving again after reading it goes through."""

import pytest
from django.test import Client
from django.urls import reverse

from lumbung.assessment import services
from lumbung.assessment.concurrency import StaleRowError, row_version
from lumbung.assessment.models import AnswerEvent

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def row_url(row):
    return reverse("assessment:row-detail", args=[row.scope, row.pk])


def seen_in(response) -> str:
    return response.context["answer_form"]["seen"].value()


def test_a_stale_form_does_not_overwrite_the_other_persons_level(world, rows, operator, admin):
    row = rows["17"]
    mine, theirs = as_user(operator), as_user(admin)
    opened_by_me = seen_in(mine.get(row_url(row)))
    opened_by_them = seen_in(theirs.get(row_url(row)))
    assert opened_by_me == opened_by_them == row_version(row)

    assert theirs.post(row_url(row), {"level": "3", "seen": opened_by_them}).status_code == 302
    response = mine.post(row_url(row), {"level": "1", "seen": opened_by_me})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Baris ini sudah diubah oleh" in page and admin.get_full_name() in page and "parameter 3" in page
    row.refresh_from_db()
    assert row.level == 3
    assert AnswerEvent.objects.filter(answer=row).count() == 1  # only the first save made an event
    # The typed level stays, and the form now carries the current version: saving again is deliberate.
    assert response.context["answer_form"]["level"].value() == "1"
    assert seen_in(response) == row_version(row)
    assert mine.post(row_url(row), {"level": "1", "seen": seen_in(response)}).status_code == 302
    row.refresh_from_db()
    assert row.level == 1


def test_the_service_refuses_a_stale_version_and_accepts_the_current_one(world, rows, operator):
    row = rows["16"]
    stale = row_version(row)
    services.answer_set(row=row, level=2, actor=operator, seen=stale)
    row.refresh_from_db()
    with pytest.raises(StaleRowError) as refused:
        services.answer_set(row=row, level=1, actor=operator, seen=stale)
    assert refused.value.seen == row_version(row)
    row.refresh_from_db()
    assert row.level == 2
    services.answer_set(row=row, level=1, actor=operator, seen=refused.value.seen)
    row.refresh_from_db()
    assert row.level == 1


def test_without_a_version_the_save_goes_through_as_before(world, rows, operator):
    """The API and older forms send no version; their saves behave as they did."""
    services.answer_set(row=rows["16"], level=2, actor=operator)
    services.answer_set(row=rows["16"], level=3, actor=operator)
    rows["16"].refresh_from_db()
    assert rows["16"].level == 3
