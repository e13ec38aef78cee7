"""Factories for clinic cases, sessions, action items and messages."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from lumbung.actions.models import Action
from lumbung.clinic.models import Case, Message, Session
from tests.factories import RegionFactory, UserFactory


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    region = factory.SubFactory(RegionFactory)
    requester = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Melengkapi eviden SK tim inovasi {n}")
    description = "Kami belum punya SK tim untuk tiga tahun terakhir dan tidak tahu formatnya."
    category = Case.Category.EVIDENCE


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    case = factory.SubFactory(CaseFactory)
    mode = Session.Mode.ONLINE
    starts_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    place = "https://meet.google.com/abc-defg-hij"
    created_by = factory.SelfAttribute("case.requester")


class ActionItemFactory(DjangoModelFactory):
    class Meta:
        model = Action

    case = factory.SubFactory(CaseFactory)
    region = factory.SelfAttribute("case.region")
    origin = Action.Origin.CLINIC
    description = "Minta SK tim pelaksana tahun 2024 ke Bagian Hukum"
    owner = factory.SelfAttribute("case.requester")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    created_by = factory.SelfAttribute("case.requester")


class MessageFactory(DjangoModelFactory):
    class Meta:
        model = Message

    case = factory.SubFactory(CaseFactory)
    author = factory.SelfAttribute("case.requester")
    body = "Berikut draf SK yang kami punya."
