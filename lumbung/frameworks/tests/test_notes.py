"""Who sees what on a methodology year: the national admin reads the research notes, the
sources and the project's own readings; a region's admin sees the wording, the levels, the
evidence rule and one "unconfirmed" mark."""

import pytest
from django.test import Client
from django.urls import reverse

from lumbung.core.roles import Role

pytestmark = pytest.mark.django_db
NOTE = "Ketentuan eviden SPD disusun dari uraian data di repositori daerah [REPO] dan penalaran [INF]"


def page_for(user, year=2026):
    client = Client()
    client.force_login(user)
    return client.get(reverse("frameworks:detail", args=[year])).content.decode()


def test_the_national_admin_reads_notes_sources_and_readings(world, frameworks, django_assert_max_num_queries):
    page = page_for(world.national_admin)
    assert NOTE in page
    assert "Tafsiran proyek" in page and "basic_service_coverage" in page
    assert "Hanya urusan utama inovasi yang dihitung" in page  # the alternative reading
    assert "iga-methodology.md §4.1" in page  # its source
    assert 'id="sumber"' in page


def test_a_regional_admin_sees_the_wording_and_one_mark_only(world, frameworks):
    page = page_for(world.user(Role.ADMIN))
    assert NOTE not in page and "[REPO]" not in page and "[INF]" not in page
    assert "Tafsiran proyek" not in page and 'id="sumber"' not in page
    assert "belum terkonfirmasi" in page
    assert "Halaman RPJMD atau Peraturan Kepala Daerah" in page  # the evidence rule of row 1
    assert "Kepala daerah memiliki visi dan misi inovasi" in page  # a level's wording
    assert "bergantung pada data daerah" in page  # the outcome mark of rows 2a–11b
