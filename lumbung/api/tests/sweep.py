from lumbung.api.models import ApiToken
from lumbung.api.tests.conftest import make_token
from lumbung.assessment.models import Assessment
from lumbung.assessment.tests.factories import DocumentFactory, open_assessment
from lumbung.competitions.tests.factories import CompetitionFactory
from lumbung.innovations.tests.factories import InnovationFactory, ProgrammeFactory
from lumbung.replication.tests.factories import CatalogueItemFactory
from tests.sweep import SweepCase


def cases(world):
    """Region B's records, asked for under region B's code by region A's people (their session
    does not reach into B: they are visitors there) and, for the pages, B's admin's token."""
    b = world.other_region
    draft = InnovationFactory(region=b, unit=world.other_unit, created_by=world.other_admin)
    programme = ProgrammeFactory(region=b, created_by=world.other_admin)
    # The assessment app's sweep may have opened B's year already.
    assessment = Assessment.objects.filter(region=b).first() or open_assessment(b, world.other_admin)
    spd_row = assessment.region_answers.first()
    document = DocumentFactory(region=b, uploaded_by=world.other_admin)
    b_draft_competition = CompetitionFactory(region=b, created_by=world.other_admin, status="draft")
    token, _raw = make_token(world.other_admin, b, kind=ApiToken.Kind.INTEGRATION)
    b_item = CatalogueItemFactory(region=b, source_region=world.region, created_by=world.other_admin)
    foreign_row = {"region_code": b.code, "scope": "spd", "pk": spd_row.pk}
    own = SweepCase.own(region_code=world.region.code)
    return {
        "api:region-detail": own,
        "api:region-dcat": own,
        "api:unit-list": own,
        "api:innovation-list": own,
        "api:programme-list": own,
        "api:assessment-list": own,
        "api:document-list": own,
        "api:innovation-detail": SweepCase.foreign(region_code=b.code, pk=draft.pk),
        "api:programme-compliance": SweepCase.foreign(region_code=b.code, pk=programme.pk),
        "api:assessment-detail": SweepCase.foreign(region_code=b.code, pk=assessment.pk),
        "api:assessment-rows": SweepCase.foreign(region_code=b.code, pk=assessment.pk),
        "api:row-detail": SweepCase.foreign(**foreign_row),
        "api:row-evidence": SweepCase.foreign(**foreign_row),
        "api:row-attach": SweepCase.foreign(**foreign_row),
        "api:document-detail": SweepCase.foreign(region_code=b.code, pk=document.pk),
        "api:competition-list": own,
        "api:catalogue-list": own,
        "api:catalogue-adopt": SweepCase.foreign(region_code=b.code, kind="item", pk=b_item.pk),
        "api:event-list": own,
        "api:competition-results": SweepCase.foreign(region_code=b.code, pk=b_draft_competition.pk),
        "api:not-found": SweepCase.own(rest="tidak-ada/"),
        "api-tokens:revoke": SweepCase.foreign(pk=token.pk),
    }
