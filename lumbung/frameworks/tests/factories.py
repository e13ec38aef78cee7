"""A small, consistent framework for tests that need one without the 40 rows of the data files:
two region rows (max 9), two innovation rows (max 9), count score 0.5 × 10 (max 5), total 23."""

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from lumbung.frameworks.models import BenefitBasis, Framework, Indicator, PredicateBand

BASIC_SERVICES = ["pendidikan", "kesehatan", "pupr", "perumahan", "trantibum", "sosial"]


class FrameworkFactory(DjangoModelFactory):
    class Meta:
        model = Framework
        skip_postgeneration_save = True

    # Years stay within what the checks accept (up to 2100); a test rarely needs more than a few.
    year = factory.Sequence(lambda n: 2030 + n % 70)
    title = factory.LazyAttribute(lambda o: f"Indeks Inovasi Daerah {o.year}")
    status = Framework.Status.ACTIVE
    min_divisor = 3
    count_factor = Decimal("0.5")
    count_cap = 10
    basic_services_required = 2
    basic_service_affairs = BASIC_SERVICES
    max_total = Decimal("23")
    source = {"summary": "Uji", "documents": [{"class": "INF", "title": "Data uji", "reference": "", "used_for": ""}]}

    @factory.post_generation
    def rows(self, create, extracted, **kwargs):
        if not create or extracted is False or self.indicators.exists():
            return
        for order, (code, aspect, weight) in enumerate(
            [("1", "region", "1"), ("2", "region", "2"), ("16", "innovation", "1"), ("17", "innovation", "2")], 1
        ):
            IndicatorFactory(framework=self, code=code, aspect=aspect, weight=Decimal(weight), order=order)
        PredicateBandFactory(framework=self, name="Sangat Inovatif", min_iid=Decimal("65.01"))
        PredicateBandFactory(framework=self, name="Inovatif", min_iid=Decimal("40.01"))
        PredicateBandFactory(framework=self, name="Kurang Inovatif", min_iid=Decimal("0.01"))


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    framework = factory.SubFactory(FrameworkFactory, rows=False)
    code = factory.Sequence(lambda n: str(16 + n % 20))
    number = factory.LazyAttribute(lambda o: int("".join(ch for ch in o.code if ch.isdigit())))
    aspect = Indicator.Aspect.INNOVATION
    variable = "Infrastruktur"
    name = factory.LazyAttribute(lambda o: f"Indikator uji {o.code}")
    weight = Decimal("1")
    level_1 = "Tingkat satu"
    level_2 = "Tingkat dua"
    level_3 = "Tingkat tiga"
    evidence_kinds = ["pdf"]
    evidence_years = ["T-0"]


class PredicateBandFactory(DjangoModelFactory):
    class Meta:
        model = PredicateBand

    framework = factory.SubFactory(FrameworkFactory, rows=False)
    name = "Inovatif"
    min_iid = Decimal("40.01")


class BenefitBasisFactory(DjangoModelFactory):
    class Meta:
        model = BenefitBasis

    indicator = factory.SubFactory(IndicatorFactory)
    code = "a"
    name = "Jumlah penerima manfaat"
    unit = "orang"
    level_1 = "1–200 orang"
    level_2 = "201–500 orang"
    level_3 = "≥ 501 orang"
    thresholds = [
        {"level": 1, "min": "1", "max": "200"},
        {"level": 2, "min": "201", "max": "500"},
        {"level": 3, "min": "501"},
    ]
