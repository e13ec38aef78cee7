import datetime as dt

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from lumbung.core.models import ImportBatch
from lumbung.core.nav import HomePanel, MenuItem, register_landing, register_menu, register_panel
from lumbung.core.roles import Role

from .models import Assignment, Echelon, Official, Region, Unit
from .views import READERS

# Units whose head is an echelon II official; an empty head post there is worth a look.
HEADED_BY_ECHELON_II = (Unit.Kind.OFFICE, Unit.Kind.AGENCY, Unit.Kind.INSPECTORATE)


def organisation_summary(request) -> dict:
    region = request.region
    units = Unit.objects.filter(region=region, is_active=True)
    current = Assignment.objects.on(dt.date.today()).filter(official__region=region, is_acting=False)
    heads = current.filter(echelon__in=[Echelon.II_A, Echelon.II_B]).values("unit_id")
    return {
        "units_by_kind": [
            (Unit.Kind(row["kind"]).label, row["n"])
            for row in units.values("kind").annotate(n=Count("id")).order_by("-n", "kind")
        ],
        "unit_count": units.count(),
        "official_count": Official.objects.filter(region=region).count(),
        "structural_count": current.structural().values("official_id").distinct().count(),
        "headless": list(units.filter(kind__in=HEADED_BY_ECHELON_II).exclude(pk__in=heads).order_by("name")[:8]),
        "last_import": ImportBatch.objects.filter(region=region, kind__in=["units", "officials"])
        .select_related("created_by")
        .first(),
    }


def regions_summary(request) -> dict:
    hosted = Region.objects.filter(is_hosted=True).order_by("name")
    return {"hosted": list(hosted[:6]), "hosted_count": hosted.count(), "region_count": Region.objects.count()}


register_menu(
    MenuItem(_("Organisasi"), "organisation:unit-list", roles=READERS, order=80),
    MenuItem(_("Pemda"), "organisation:region-list", roles={Role.NATIONAL_ADMIN}, order=95),
)
register_panel(
    HomePanel(
        "organisation/panels/organisation.html", roles=frozenset({Role.ADMIN}), context=organisation_summary, order=80
    ),
    HomePanel(
        "organisation/panels/regions.html", roles=frozenset({Role.NATIONAL_ADMIN}), context=regions_summary, order=10
    ),
)
# The public front door lists the hosted regions and their showcases (core.views.landing).
register_landing(lambda request: {"regions": Region.objects.filter(is_hosted=True).order_by("name")})
