"""The demo loads and shows what it promises: cases in different states, and the knowledge base."""

import pytest

from lumbung.clinic.models import Case
from lumbung.core.demo import Demo
from lumbung.knowledge.models import Article, Decree
from lumbung.organisation.models import Region


@pytest.fixture
def demo(db, reference_data):
    from lumbung.accounts import demo as accounts
    from lumbung.organisation import demo as organisation

    region, _created = Region.objects.get_or_create(
        code="18.04", defaults={"name": "Kabupaten Lampung Barat", "kind": "regency"}
    )
    demo = Demo(region=region)
    organisation.load(demo)
    accounts.load(demo)
    return demo


def test_the_clinic_and_knowledge_demo(demo):
    from lumbung.clinic import demo as clinic
    from lumbung.knowledge import demo as knowledge

    clinic.load(demo)
    knowledge.load(demo)
    cases = Case.objects.filter(region=demo.region)
    assert {Case.Status.NEW, Case.Status.MENTORING, Case.Status.WAITING, Case.Status.CLOSED} <= set(
        cases.values_list("status", flat=True)
    )
    idea = cases.get(requester=demo.user("citizen"), status=Case.Status.MENTORING)
    assert idea.sessions.count() == 2 and idea.actions.count() == 2 and idea.messages.exists()
    evidence = cases.get(indicator_code="17", status=Case.Status.WAITING)
    assert evidence.unit.short_name == "Diskominfo" and evidence.actions.count() == 4
    assert cases.get(indicator_code="33").status == Case.Status.NEW
    articles = Article.objects.filter(region=demo.region, status=Article.Status.PUBLISHED)
    assert articles.count() >= 12
    assert set(articles.values_list("kind", flat=True)) == {"guide", "faq", "template"}
    assert {"16", "17", "32", "33", "35"} <= set(articles.values_list("indicator_code", flat=True))
    assert articles.filter(visibility=Article.Visibility.INTERNAL).exists()
    guide = articles.get(title__startswith="Cara mengisi rancang bangun")
    assert len(guide.body.split()) >= 300
    assert not Decree.objects.exists()  # no published innovations in this demo slice
