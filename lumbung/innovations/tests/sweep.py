from django.core.files.base import ContentFile

from lumbung.innovations.models import Attachment, Innovation, TeamMember
from tests.sweep import SweepCase

from .factories import InnovationFactory, ProgrammeFactory

# The smallest PNG: 1 × 1 pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


def foreign_draft_with_photo(world):
    """A draft of another region with a photo: nobody of region A may fetch the photo."""
    draft = InnovationFactory(region=world.other_region, unit=world.other_unit, created_by=world.other_admin)
    draft.photo.save("foto.png", ContentFile(PNG), save=True)
    return draft


def cases(world):
    """Someone else's objects: another region's innovation, programme, team member and attachment;
    and in our region a draft of a sibling unit (only its unit, the admin and verifiers see it)."""
    foreign = InnovationFactory(region=world.other_region, unit=world.other_unit, created_by=world.other_admin)
    member = TeamMember.objects.create(innovation=foreign, name="Warga Lain", role=TeamMember.Role.MEMBER)
    attachment = Attachment(
        innovation=foreign, kind=Attachment.Kind.BUDGET, original_name="anggaran.pdf",
        content_type="application/pdf", size=10, sha256="0" * 64, uploaded_by=world.other_admin,
    )  # fmt: skip
    attachment.file.save("anggaran.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    programme = ProgrammeFactory(region=world.other_region, created_by=world.other_admin)
    # Another region's citizens' innovation, published and with a showcase photo (photo, adopt).
    foreign_citizens = InnovationFactory(
        region=world.other_region, unit=None, track=Innovation.Track.SOCIETY, initiator_name="Kelompok Lain",
        created_by=world.other_admin, status=Innovation.Status.PUBLISHED,
    )  # fmt: skip
    foreign_citizens.photo.save("foto.png", ContentFile(PNG), save=True)
    sibling_draft = InnovationFactory(region=world.region, unit=world.sibling_unit, created_by=world.user("admin"))
    assert sibling_draft.status == Innovation.Status.DRAFT
    return {
        "innovations:detail": SweepCase.foreign(pk=foreign.pk),
        "innovations:edit": SweepCase.foreign(pk=foreign.pk),
        "innovations:transition": SweepCase.foreign(pk=foreign.pk),
        "innovations:return": SweepCase.foreign(pk=foreign.pk),
        "innovations:running": SweepCase.foreign(pk=foreign.pk),
        "innovations:team-add": SweepCase.foreign(pk=foreign.pk),
        "innovations:team-remove": SweepCase.foreign(member_pk=member.pk),
        "innovations:attachment-add": SweepCase.foreign(pk=foreign.pk),
        "innovations:attachment-download": SweepCase.foreign(attachment_pk=attachment.pk),
        "innovations:attachment-delete": SweepCase.foreign(attachment_pk=attachment.pk),
        "innovations:print": SweepCase.foreign(pk=foreign.pk),
        "innovations:pdf": SweepCase.foreign(pk=foreign.pk),
        "innovations:citizen-edit": SweepCase.foreign(pk=foreign_citizens.pk),
        "innovations:showcase-media": SweepCase.foreign(pk=foreign_citizens.pk),
        "innovations:adopt": SweepCase.foreign(pk=foreign_citizens.pk),
        # A region's draft photo is not public: 404 to everybody of region A (a published one is).
        "innovations:photo": SweepCase.foreign(pk=foreign_draft_with_photo(world).pk),
        "innovations:programme-detail": SweepCase.foreign(pk=programme.pk),
        "innovations:programme-edit": SweepCase.foreign(pk=programme.pk),
        "innovations:programme-export": SweepCase.foreign(pk=programme.pk),
        "innovations:programme-remind": SweepCase.foreign(pk=programme.pk),
        "innovations:programme-letters": SweepCase.foreign(pk=programme.pk),
        "showcase:index": SweepCase.own(region_code=world.region.code),
        "showcase:map": SweepCase.own(region_code=world.region.code),
        "showcase:open-data-csv": SweepCase.own(region_code=world.region.code),
        "showcase:open-data-json": SweepCase.own(region_code=world.region.code),
        # A draft is not public: the showcase answers 404 to everybody.
        "showcase:detail": SweepCase.foreign(region_code=world.region.code, pk=sibling_draft.pk),
    }
