"""The shipped methodology years (2023–2026): they load, score their worked examples, differ
where the sources say they differ, and mark what is not confirmed."""

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lumbung.frameworks import filespec, inferences
from lumbung.frameworks.datafile import check
from lumbung.frameworks.engine import summarise
from lumbung.frameworks.models import Indicator
from lumbung.frameworks.reference import DATA
from lumbung.frameworks.specs import spec_for

YEARS = [2023, 2024, 2025, 2026]
OUTCOME_ROWS = {"2a", "2b", "3", "4", "5a", "5b", "6", "7", "8", "9", "10a", "10b", "11a", "11b", "13b"}


def data_of(year):
    return json.loads((DATA / f"{year}.json").read_text(encoding="utf-8"))


def test_every_year_is_shipped_and_loaded(frameworks):
    assert filespec.available_years() == YEARS
    assert sorted(frameworks) == YEARS
    assert {year: frameworks[year].status for year in YEARS} == {
        2023: "archived", 2024: "archived", 2025: "archived", 2026: "active"
    }  # fmt: skip


@pytest.mark.parametrize("year", YEARS)
def test_each_year_scores_its_worked_examples(frameworks, year):
    examples = data_of(year)["examples"]
    assert examples
    spec = spec_for(frameworks[year])
    for example in examples:
        summary = summarise(
            spec,
            spd_score=Decimal(example["spd_score"]),
            maturity_sum=Decimal(example["maturity_each"]) * example["innovations"],
            innovation_count=example["innovations"],
            basic_services_covered=example["basic_services_covered"],
        )
        assert (summary.iid, summary.predicate) == (Decimal(str(example["iid"])).quantize(Decimal("0.01")),
                                                    example["predicate"]), example["name"]  # fmt: skip


def predicate(frameworks, year, iid):
    return spec_for(frameworks[year]).predicate_for(Decimal(iid))


@pytest.mark.parametrize(
    ("iid", "in_2024", "in_2025"),
    [
        ("65.01", "Sangat Inovatif", "Sangat Inovatif"),
        ("65.00", "Sangat Inovatif", "Inovatif"),
        ("60.01", "Sangat Inovatif", "Inovatif"),
        ("60.00", "Inovatif", "Inovatif"),
        ("40.01", "Inovatif", "Inovatif"),
        ("40.00", "Inovatif", "Kurang Inovatif"),
        ("35.00", "Inovatif", "Kurang Inovatif"),
        ("34.99", "Kurang Inovatif", "Kurang Inovatif"),
        ("0.01", "Kurang Inovatif", "Kurang Inovatif"),
        ("0.00", "Tidak Dapat Dinilai", "Tidak Dapat Dinilai"),
    ],
)
def test_the_2024_and_2025_bands_differ_as_published(frameworks, iid, in_2024, in_2025):
    assert (predicate(frameworks, 2024, iid), predicate(frameworks, 2025, iid)) == (in_2024, in_2025)


def test_the_2025_national_mean_reads_as_inovatif(frameworks):
    assert predicate(frameworks, 2025, "49.43") == "Inovatif"


@pytest.mark.parametrize("year", [2024, 2025])
def test_every_reconstructed_number_is_marked(frameworks, year):
    framework = frameworks[year]
    assert {"min_divisor", "count_factor", "count_cap", "bands"} <= set(framework.unconfirmed)
    rows = list(framework.indicators.all())
    assert len(rows) == 40
    assert all("row" in row.unconfirmed for row in rows), "the annexes of this year were not seen"
    sources = data_of(year)["source"]["documents"]
    assert any(doc["class"] in ("OFF", "PRESS") and "band" not in doc for doc in sources)


def test_2025_uses_the_transitional_benefit_bases(frameworks):
    row = frameworks[2025].indicators.get(code="33")
    assert [basis.code for basis in row.bases.all()] == ["a", "b", "c", "d", "e"]
    assert row.bases.get(code="a").level_for(Decimal(201)) == 3  # 2026: 201 people is level 2
    assert frameworks[2026].indicators.get(code="33").bases.get(code="a").level_for(Decimal(201)) == 2
    assert row.bases.get(code="d").level_for(Decimal(50)) == 2


@pytest.mark.parametrize("year", YEARS)
def test_outcome_rows_are_marked_in_every_year(frameworks, year):
    marked = set(Indicator.objects.filter(framework=frameworks[year], is_outcome=True).values_list("code", flat=True))
    assert marked == OUTCOME_ROWS
    assert {"4", "6", "7", "9"} <= marked


@pytest.mark.parametrize("year", YEARS)
def test_every_year_states_its_inferences(frameworks, year):
    block = frameworks[year].inferences
    assert set(block) == set(inferences.CATALOGUE)
    for reading in inferences.readings(block):
        assert reading.reason and reading.source
        assert reading.value == inferences.CATALOGUE[reading.name].default


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ({"rounding": {"value": "exact", "reason": "r", "source": "s"}}, "Tafsiran 'rounding' tidak dikenal"),
        ({"measured_rounding": {"value": "kira-kira", "reason": "r", "source": "s"}}, "'value' harus salah satu"),
        ({"measured_rounding": {"value": "exact", "reason": "", "source": "s"}}, "alasan ('reason') dan sumber"),
        ([], "harus berupa objek"),
    ],
)
def test_a_bad_inference_block_is_refused(block, message):
    data = data_of(2026) | {"inferences": block}
    assert any(message in problem for problem in check(data))


@given(
    st.dictionaries(
        st.sampled_from([*inferences.CATALOGUE, "x"]),
        st.one_of(st.none(), st.text(), st.fixed_dictionaries({"value": st.text()})),
    )
)
def test_a_reading_is_always_one_of_its_options(block):
    for name, item in inferences.CATALOGUE.items():
        assert inferences.value_of(block, name) in item.options
        assert inferences.alternative_of(block, name) in item.options
        assert inferences.alternative_of(block, name) != inferences.value_of(block, name)
