"""Browser journey: a mentor writes a guide (with a script smuggled into it), previews and
publishes it; a visitor on a phone finds it by searching and reads it, sanitised."""

import pytest
from playwright.sync_api import expect

from conftest import sign_in
from lumbung.knowledge.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_guide_is_written_previewed_published_and_found(world, live_server, page, phone_page):
    mentor = world.user("mentor")
    dialogs = []
    for tab in (page, phone_page):
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    sign_in(page, mentor.email)
    page.goto("/pengetahuan/")
    page.get_by_role("link", name="Tulis artikel").click()
    page.get_by_label("Judul").fill("Cara menyusun SK tim inovasi")
    page.get_by_label("Jenis").select_option(label="Panduan")
    page.get_by_label("Ringkasan").fill("Kolom peran wajib ada untuk indikator 17.")
    page.get_by_label("Isi").fill(
        "## Susunan tim\n\nSebutkan **peran** setiap orang.\n\n<script>alert('xss')</script>\n\n"
        "<img src=x onerror=alert('xss')>\n\n[Pedoman](javascript:alert('xss'))"
    )
    page.get_by_role("button", name="Pratinjau").click()
    expect(page.locator(".preview-box strong")).to_have_text("peran")  # htmx preview, sanitised on the server
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".article h1")).to_have_text("Cara menyusun SK tim inovasi")
    page.get_by_role("button", name="Terbitkan").click()
    expect(page.locator(".messages")).to_contain_text("Status artikel: Terbit")
    assert Article.objects.get().status == Article.Status.PUBLISHED

    phone_page.goto("/pengetahuan/")
    phone_page.get_by_label("Cari").fill("sk tim peran")
    phone_page.get_by_role("button", name="Cari").click()
    phone_page.get_by_role("link", name="Cara menyusun SK tim inovasi").click()
    expect(phone_page.locator(".prose h2")).to_have_text("Susunan tim")
    expect(phone_page.locator(".prose script, .prose img")).to_have_count(0)
    assert phone_page.locator(".prose a").get_attribute("href") is None
    assert dialogs == []  # no script ran, in the editor's preview or the reader's page
