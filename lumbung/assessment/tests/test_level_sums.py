"""The maintained sums (IndicatorLevelSum and AffairCount, kept by the triggers of migration 0010)
stay equal to the sums computed from scratch, whatever writes the answers, entries and
innovations: services, bulk_create, .save(), QuerySet.update(), bulk_update, deletes, raw SQL,
eligibility flips, entries deleted before their rows, main and related affairs changed. And what
_collect reads from them equals what the old queries over every answer and entry gave."""

from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import Case, Q, Sum, Value, When
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from lumbung.assessment import scoring
from lumbung.assessment.models import AffairCount, Answer, Entry, IndicatorLevelSum, RowStatus
from lumbung.assessment.services import entry_add
from lumbung.assessment.tests.factories import AFFAIRS, affair, enter, open_assessment
from lumbung.frameworks.models import Indicator
from lumbung.innovations.models import Innovation
from lumbung.innovations.tests.factories import InnovationFactory

pytestmark = pytest.mark.django_db

STATUSES = st.sampled_from(list(RowStatus.values))
LEVELS = st.integers(0, 3)

# Σ weight × level of the eligible entries' rows per assessment, read from every answer row: the
# aggregate scoring used before the sums were maintained (issue 10), kept as the reference.
OLD_MATURITY_SUMS = """
    SELECT g.assessment_id, SUM(x.weight * g.claimed), SUM(x.weight * g.expected), SUM(x.weight * g.verified)
    FROM (
        SELECT scoring_assessment_id AS assessment_id, indicator_id, SUM(level) AS claimed,
               SUM(CASE WHEN status = 'rejected' THEN 0 ELSE level END) AS expected,
               SUM(CASE WHEN status = 'accepted' THEN level
                        WHEN status = 'claimed' AND accepted_level < level THEN accepted_level
                        WHEN status = 'claimed' THEN level ELSE 0 END) AS verified
        FROM assessment_answer
        WHERE entry_id NOT IN (SELECT id FROM assessment_entry WHERE NOT is_eligible)
        GROUP BY scoring_assessment_id, indicator_id
    ) g JOIN frameworks_indicator x ON x.id = g.indicator_id
    GROUP BY g.assessment_id
"""


def maintained() -> dict:
    """The kept sums; a row of zeros is the same as no row."""
    rows = IndicatorLevelSum.objects.values_list("assessment_id", "indicator_id", "claimed", "expected", "verified")
    return {(a, i): (c, e, v) for a, i, c, e, v in rows if (c, e, v) != (0, 0, 0)}


def from_scratch() -> dict:
    """The same sums computed by the ORM from the answers (the Case of scoring._SUMS)."""
    rows = (
        Answer.objects.filter(entry__is_eligible=True)
        .values("scoring_assessment_id", "indicator_id")
        .annotate(
            claimed=Sum("level"),
            expected=Sum("level", filter=~Q(status=RowStatus.REJECTED)),
            verified=Sum(scoring._VERIFIED_LEVEL),
        )
        .order_by()
    )
    sums = {
        (row["scoring_assessment_id"], row["indicator_id"]): (row["claimed"], row["expected"] or 0, row["verified"])
        for row in rows
    }
    return {key: value for key, value in sums.items() if value != (0, 0, 0)}


def counts_kept() -> dict:
    rows = AffairCount.objects.values_list("assessment_id", "affair_id", "main", "related")
    return {(a, affair): (main, related) for a, affair, main, related in rows if (main, related) != (0, 0)}


def counts_from_scratch() -> dict:
    """Eligible entries per (assessment, main affair) and per (assessment, related affair)."""
    main, related = Counter(), Counter()
    for entry in Entry.objects.filter(is_eligible=True).select_related("innovation"):
        main[entry.assessment_id, entry.innovation.main_affair_id] += 1
        for affair_id in entry.innovation.related_affairs.values_list("pk", flat=True):
            related[entry.assessment_id, affair_id] += 1
    return {key: (main[key], related[key]) for key in main.keys() | related.keys()}


def old_counts_and_affairs(pk) -> tuple[int, set]:
    """The count and the affairs covered as _collect read them from every entry before."""
    eligible = Entry.objects.filter(assessment_id=pk, is_eligible=True)
    affairs = eligible.values_list("innovation__main_affair__code", "innovation__related_affairs__code")
    return eligible.count(), {code for pair in affairs.distinct() for code in pair if code}


def old_maturity_sums() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(OLD_MATURITY_SUMS)
        return {row[0]: tuple(scoring._exact(value) for value in row[1:]) for row in cursor.fetchall()}


def assert_exact(assessment_ids) -> None:
    assert maintained() == from_scratch()
    assert counts_kept() == counts_from_scratch()
    collected = scoring._collect(assessment_ids=assessment_ids)
    old = old_maturity_sums()
    for pk in assessment_ids:
        sums = collected[pk].maturity_sum
        assert (sums["claimed"], sums["expected"], sums["verified"]) == old.get(pk, (Decimal("0.00"),) * 3)
        assert (collected[pk].count, collected[pk].basic_services) == old_counts_and_affairs(pk)


def test_random_writes_keep_the_sums_exact(world, admin):
    assessment = open_assessment(world.region, admin)
    other = open_assessment(world.other_region, world.other_admin)
    assessments = [assessment, other]
    indicators = list(assessment.framework.indicators.filter(aspect=Indicator.Aspect.INNOVATION).order_by("order"))
    names = iter(range(10**6))
    affairs = [affair(code) for code in AFFAIRS]
    codes = st.sampled_from(affairs)
    RELATED = st.lists(codes, max_size=3, unique=True)  # noqa: N806 - a strategy, like the module's

    class Writes(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            # Each run starts from the two empty assessments: its writes are rolled back at the end.
            self.block = transaction.atomic()
            self.block.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self.block.__exit__(None, None, None)

        def answers(self):
            return list(Answer.objects.order_by("pk").values_list("pk", flat=True))

        def entries(self):
            return list(Entry.objects.order_by("pk"))

        @precondition(lambda self: Entry.objects.count() < 6)
        @rule(eligible=st.booleans(), elsewhere=st.booleans(), main=codes, related=RELATED)
        def enter_through_the_service(self, eligible, elsewhere, main, related):
            # The service makes the twenty rows with bulk_create; an initiative is not eligible.
            target = other if elsewhere else assessment
            actor = world.other_admin if elsewhere else admin
            unit = world.other_unit if elsewhere else world.unit
            stage = "implementation" if eligible else "initiative"
            innovation = InnovationFactory(
                region=target.region, unit=unit, name=f"Inovasi {next(names)}", stage=stage, main_affair=main
            )
            innovation.related_affairs.set(related)
            entry = entry_add(assessment=target, innovation=innovation, actor=actor)
            assert entry.is_eligible == eligible

        @precondition(lambda self: Entry.objects.count() < 6)
        @rule(
            eligible=st.booleans(),
            rows=st.lists(st.tuples(LEVELS, STATUSES, LEVELS), min_size=1, max_size=5),
            main=codes,
            related=RELATED,
        )
        def bulk_create_answered_rows(self, eligible, rows, main, related):
            innovation = InnovationFactory(
                region=world.region, unit=world.unit, name=f"Inovasi {next(names)}", main_affair=main
            )
            innovation.related_affairs.set(related)
            entry = Entry.objects.create(
                assessment=assessment, innovation=innovation, is_eligible=eligible, entered_by=admin
            )
            Answer.objects.bulk_create(
                Answer(entry=entry, scoring_assessment=assessment, indicator=indicator, level=level, status=status,
                       accepted_level=accepted)
                for indicator, (level, status, accepted) in zip(indicators, rows, strict=False)
            )  # fmt: skip

        @precondition(lambda self: Answer.objects.exists())
        @rule(data=st.data(), level=LEVELS, status=STATUSES, accepted=LEVELS, partial=st.booleans())
        def save_a_row(self, data, level, status, accepted, partial):
            row = Answer.objects.get(pk=data.draw(st.sampled_from(self.answers())))
            row.level, row.status, row.accepted_level = level, status, accepted
            row.save(update_fields=["level", "status", "accepted_level", "updated_at"] if partial else None)

        @precondition(lambda self: Answer.objects.exists())
        @rule(data=st.data(), level=LEVELS, status=STATUSES)
        def update_a_queryset(self, data, level, status):
            chosen = data.draw(st.lists(st.sampled_from(self.answers()), min_size=1, max_size=8))
            Answer.objects.filter(pk__in=chosen).update(level=level, status=status)

        @precondition(lambda self: Answer.objects.exists())
        @rule(data=st.data(), values=st.lists(st.tuples(LEVELS, STATUSES, LEVELS), min_size=1, max_size=6))
        def bulk_update_rows(self, data, values):
            rows = list(Answer.objects.filter(pk__in=data.draw(st.lists(st.sampled_from(self.answers()), max_size=6))))
            for row, (level, status, accepted) in zip(rows, values, strict=False):
                row.level, row.status, row.accepted_level = level, status, accepted
            Answer.objects.bulk_update(rows, ["level", "status", "accepted_level"])

        @precondition(lambda self: Answer.objects.exists())
        @rule(data=st.data(), level=LEVELS)
        def raw_sql_update(self, data, level):
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE assessment_answer SET level = %s, status = 'accepted', accepted_level = %s WHERE id = %s",
                    [level, level, data.draw(st.sampled_from(self.answers()))],
                )

        @precondition(lambda self: Answer.objects.exists())
        @rule(data=st.data())
        def delete_a_row(self, data):
            Answer.objects.get(pk=data.draw(st.sampled_from(self.answers()))).delete()

        @precondition(lambda self: Entry.objects.exists())
        @rule(data=st.data())
        def delete_an_entry(self, data):
            data.draw(st.sampled_from(self.entries())).delete()

        @precondition(lambda self: Entry.objects.exists())
        @rule(data=st.data())
        def delete_an_entry_before_its_rows(self, data):
            # Raw SQL, the entry first: the keys are checked at commit, the triggers must not care.
            entry = data.draw(st.sampled_from(self.entries()))
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("DELETE FROM assessment_entry WHERE id = %s", [entry.pk])
                cursor.execute("DELETE FROM assessment_answer WHERE entry_id = %s", [entry.pk])

        @precondition(lambda self: Entry.objects.exists())
        @rule(data=st.data(), through_save=st.booleans())
        def flip_eligibility(self, data, through_save):
            entry = data.draw(st.sampled_from(self.entries()))
            if through_save:
                entry.is_eligible = not entry.is_eligible
                entry.save(update_fields=["is_eligible"])
            else:
                Entry.objects.filter(pk=entry.pk).update(is_eligible=not entry.is_eligible)

        @precondition(lambda self: Entry.objects.exists())
        @rule(data=st.data())
        def recheck_every_entry(self, data):
            # One statement over many entries, some flipping and some not.
            chosen = data.draw(st.lists(st.sampled_from(self.entries()), min_size=1))
            Entry.objects.filter(pk__in=[entry.pk for entry in chosen]).update(
                is_eligible=Case(When(is_eligible=True, then=Value(False)), default=Value(True))
            )

        @precondition(lambda self: Innovation.objects.exists())
        @rule(data=st.data(), main=codes, through_save=st.booleans())
        def change_the_main_affair(self, data, main, through_save):
            innovation = data.draw(st.sampled_from(list(Innovation.objects.order_by("pk"))))
            if through_save:
                innovation.main_affair = main
                innovation.save()
            else:
                Innovation.objects.filter(pk=innovation.pk).update(main_affair=main)

        @precondition(lambda self: Innovation.objects.exists())
        @rule(
            data=st.data(),
            chosen=st.lists(codes, max_size=3, unique=True),
            how=st.sampled_from(["set", "add", "remove", "clear", "raw"]),
        )
        def change_the_related_affairs(self, data, chosen, how):
            innovation = data.draw(st.sampled_from(list(Innovation.objects.order_by("pk"))))
            if how == "raw":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "DELETE FROM innovations_innovation_related_affairs WHERE innovation_id = %s", [innovation.pk]
                    )
                    for item in chosen:
                        cursor.execute(
                            "INSERT INTO innovations_innovation_related_affairs (innovation_id, governmentaffair_id) VALUES (%s, %s)",
                            [innovation.pk, item.pk],
                        )
            elif how == "clear":
                innovation.related_affairs.clear()
            elif how == "set":
                innovation.related_affairs.set(chosen)
            else:  # add or remove
                getattr(innovation.related_affairs, how)(*chosen)

        @invariant()
        def sums_are_exact(self):
            assert_exact([item.pk for item in assessments])

    run_state_machine_as_test(Writes, settings=settings(max_examples=40, stateful_step_count=15, deadline=None))


def test_rebuild_gives_what_the_triggers_kept(world, admin):
    """rebuild_level_sums recomputes the kept rows from the answers (all of them or a few
    assessments), and repairs sums that were lost or damaged."""
    assessment = open_assessment(world.region, admin)
    other = open_assessment(world.other_region, world.other_admin)
    first = enter(assessment, admin, unit=world.unit, name="Layanan Antrean Daring")
    enter(assessment, admin, unit=world.unit, name="Gagasan Baru", stage="initiative")
    enter(other, world.other_admin, unit=world.other_unit, name="Inovasi Daerah Lain")
    Answer.objects.filter(entry=first).update(level=3, status=RowStatus.ACCEPTED)
    Answer.objects.filter(scoring_assessment=other).update(level=2, status=RowStatus.CLAIMED)
    kept, counts = maintained(), counts_kept()
    assert kept and kept == from_scratch()
    assert counts and counts == counts_from_scratch()

    IndicatorLevelSum.objects.filter(assessment=assessment).update(claimed=99)
    IndicatorLevelSum.objects.filter(assessment=other).delete()
    AffairCount.objects.update(main=7)
    scoring.rebuild_level_sums(assessment_ids=[assessment.pk])
    assert {key: value for key, value in maintained().items() if key[0] == assessment.pk} == {
        key: value for key, value in kept.items() if key[0] == assessment.pk
    }
    assert not IndicatorLevelSum.objects.filter(assessment=other).exists()
    assert {key: value for key, value in counts_kept().items() if key[0] == assessment.pk} == {
        key: value for key, value in counts.items() if key[0] == assessment.pk
    }
    assert AffairCount.objects.filter(assessment=other, main=7).exists()  # only the assessments named

    scoring.rebuild_level_sums()
    assert maintained() == kept
    assert counts_kept() == counts
    assert scoring.rebuild_level_sums(assessment_ids=[]) == 0
    assert maintained() == kept


def test_figures_follow_an_edited_weight_without_a_rebuild(world, admin):
    """The sums are of levels, so a methodology edit of a weight is read at once."""
    assessment = open_assessment(world.region, admin)
    entry = enter(assessment, admin, unit=world.unit, name="Layanan Antrean Daring")
    row = entry.answers.select_related("indicator").order_by("indicator__order").first()
    Answer.objects.filter(pk=row.pk).update(level=2, status=RowStatus.ACCEPTED)
    before = scoring._collect(assessment_ids=[assessment.pk])[assessment.pk].maturity_sum["verified"]
    Indicator.objects.filter(pk=row.indicator_id).update(weight=row.indicator.weight + 1)
    after = scoring._collect(assessment_ids=[assessment.pk])[assessment.pk].maturity_sum["verified"]
    assert after - before == 2
    assert old_maturity_sums()[assessment.pk][2] == after
