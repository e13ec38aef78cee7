"""Editing, copying and the life of a year's methodology: what is saved, what is refused, and
what the history records."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lumbung.core.roles import REGION_ROLES, Role
from lumbung.core.workflow import TransitionNotAllowed
from lumbung.frameworks import services
from lumbung.frameworks.datafile import CONSTANTS, check, export
from lumbung.frameworks.models import Framework, FrameworkEvent, Indicator
from lumbung.frameworks.specs import spec_for
from lumbung.frameworks.workflows import LIFECYCLE
from tests.factories import RegionFactory, UnitFactory, user_with_role

from .factories import FrameworkFactory

D = Decimal
S = Framework.Status


@pytest.fixture
def national_admin(db):
    return user_with_role(Role.NATIONAL_ADMIN)


def test_the_factory_framework_is_consistent(db):
    framework = FrameworkFactory()
    assert check(export(framework)) == []
    assert spec_for(framework).max_region_score == D(9)


def test_an_edit_is_saved_with_who_and_why_and_a_new_revision(frameworks, national_admin):
    framework = frameworks[2026]
    revision = framework.revision
    row = framework.indicators.get(code="28")
    services.indicator_update(
        indicator=row, actor=national_admin, values={"level_3": "Selesai hari itu juga"}, reason="Lampiran II hlm. 14"
    )
    record = Indicator.history.filter(id=row.pk).latest()
    assert (record.level_3, record.history_user, record.history_change_reason) == (
        "Selesai hari itu juga",
        national_admin,
        "Lampiran II hlm. 14",
    )
    framework.refresh_from_db()
    assert framework.revision != revision
    assert framework.edited_in_app


def test_a_year_in_force_refuses_an_edit_that_breaks_its_totals(frameworks, national_admin):
    row = frameworks[2026].indicators.get(code="9")
    with pytest.raises(ValidationError) as raised:
        services.indicator_update(indicator=row, actor=national_admin, values={"weight": D(2)}, reason="salah ketik")
    assert raised.value.messages == [
        "Skor total maksimum tertulis 250, tetapi SPD 66 + kematangan 111 + skor jumlah inovasi 76 = 253."
    ]
    row.refresh_from_db()
    assert row.weight == D(1)
    assert not Framework.objects.get(year=2026).edited_in_app


def test_the_spec_follows_an_edit(frameworks, national_admin):
    framework = frameworks[2026]
    assert spec_for(framework).min_divisor == 12
    services.framework_update(
        framework=framework,
        actor=national_admin,
        values={"min_divisor": 14},
        reason="Prognosis 2027",
    )
    assert spec_for(Framework.objects.get(year=2026)).min_divisor == 14


def test_a_copy_is_a_draft_with_every_value_unconfirmed(frameworks, national_admin):
    copy = services.framework_copy(
        source=frameworks[2026], year=2027, title="Indeks Inovasi Daerah 2027", actor=national_admin
    )
    assert (copy.status, copy.copied_from, copy.edited_in_app) == (S.DRAFT, frameworks[2026], True)
    assert set(copy.unconfirmed) == {*CONSTANTS, "bands"}
    assert copy.indicators.count() == 40
    assert all("row" in row.unconfirmed for row in copy.indicators.all())
    assert copy.indicators.get(code="33").bases.count() == 6
    assert spec_for(copy).rows == spec_for(frameworks[2026]).rows
    assert check(export(copy)) == []
    event = copy.events.get()
    assert (event.action, event.actor, event.to_state) == ("copied", national_admin, S.DRAFT)
    with pytest.raises(ValidationError):
        services.framework_copy(source=frameworks[2026], year=2027, title="lagi", actor=national_admin)


def test_a_draft_may_be_inconsistent_but_cannot_be_put_in_force(frameworks, national_admin):
    draft = services.framework_copy(source=frameworks[2026], year=2027, title="2027", actor=national_admin)
    services.framework_update(framework=draft, actor=national_admin, values={"count_cap": 250}, reason="uji")
    assert any("Skor total maksimum tertulis 250" in problem for problem in services.framework_problems(draft))
    with pytest.raises(ValidationError):
        services.framework_transition(framework=draft, action="activate", actor=national_admin)
    services.framework_update(framework=draft, actor=national_admin, values={"max_total": D(269)}, reason="uji")
    services.framework_transition(framework=draft, action="activate", actor=national_admin)
    assert Framework.objects.get(year=2027).status == S.ACTIVE


def test_bands_are_replaced_and_their_mark_kept(frameworks, national_admin):
    framework = frameworks[2026]
    services.bands_update(
        framework=framework,
        actor=national_admin,
        bands=[("Sangat Inovatif", D("60.01")), ("Inovatif", D("35.00")), ("Kurang Inovatif", D("0.01"))],
        reason="Kembali ke 2023",
        unconfirmed={"bands": "Belum ada lampiran"},
    )
    framework.refresh_from_db()
    assert spec_for(framework).bands == (
        ("Sangat Inovatif", D("60.01")), ("Inovatif", D("35.00")), ("Kurang Inovatif", D("0.01")),
    )  # fmt: skip
    assert framework.unconfirmed["bands"] == "Belum ada lampiran"
    assert "max_entries_per_innovation" in framework.unconfirmed


def test_duplicate_band_minima_are_refused_in_force(frameworks, national_admin):
    with pytest.raises(ValidationError):
        services.bands_update(
            framework=frameworks[2026], actor=national_admin, bands=[("A", D("40")), ("B", D("40"))], reason="x"
        )


# The lifecycle as a table: every state × every action × every role ----------------------------

ALLOWED = {
    (S.DRAFT, "activate"): S.ACTIVE,
    (S.ACTIVE, "return_to_draft"): S.DRAFT,
    (S.ACTIVE, "archive"): S.ARCHIVED,
    (S.ARCHIVED, "restore"): S.ACTIVE,
}
ROLES = [*[str(role) for role in REGION_ROLES], "national_admin"]


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("action", [t.action for t in LIFECYCLE.transitions])
@pytest.mark.parametrize("role", ROLES)
def test_lifecycle_table(db, state, action, role):
    framework = FrameworkFactory(status=state)
    user = role_user(role)
    target = ALLOWED.get((state, action))
    may = role == "national_admin" and target is not None
    assert LIFECYCLE.may(user, framework, action) is may
    if target is None:
        with pytest.raises(TransitionNotAllowed):
            services.framework_transition(framework=framework, action=action, actor=user, note="catatan")
    elif not may:
        with pytest.raises(PermissionDenied):
            services.framework_transition(framework=framework, action=action, actor=user, note="catatan")
    else:
        event = services.framework_transition(framework=framework, action=action, actor=user, note="catatan")
        assert Framework.objects.get(pk=framework.pk).status == target
        assert (event.from_state, event.to_state, event.actor, event.note) == (state, target, user, "catatan")
        return
    assert Framework.objects.get(pk=framework.pk).status == state
    assert not FrameworkEvent.objects.filter(framework=framework).exists()


def role_user(role):
    if role == "national_admin":
        return user_with_role(role)
    region = RegionFactory(code="18.04")
    return user_with_role(role, region, UnitFactory(region=region) if role == Role.OPERATOR else None)


@pytest.mark.parametrize("action", ["return_to_draft", "archive", "restore"])
def test_leaving_force_needs_a_note(db, national_admin, action):
    framework = FrameworkFactory(status=S.ARCHIVED if action == "restore" else S.ACTIVE)
    with pytest.raises(ValidationError):
        services.framework_transition(framework=framework, action=action, actor=national_admin, note=" ")
