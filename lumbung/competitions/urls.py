from django.urls import path

from .views import entrant, judging, manage, public, rubrics

app_name = "competitions"

urlpatterns = [
    # Public: calls, results, certificate verification.
    path("", public.competition_list, name="list"),
    path("<int:pk>/", public.call, name="call"),
    path("<int:pk>/pengumuman/", public.announcement, name="announcement"),
    path("sertifikat/<str:code>/", public.certificate_verify, name="certificate-verify"),
    # Entrants.
    path("saya/", entrant.my_entries, name="my-entries"),
    path("<int:pk>/ikut/", entrant.entry_start, name="entry-start"),
    path("proposal/<int:pk>/", entrant.entry_detail, name="entry-detail"),
    path("proposal/<int:pk>/ubah/", entrant.entry_edit, name="entry-edit"),
    path("proposal/<int:pk>/simpan-otomatis/", entrant.entry_autosave, name="entry-autosave"),
    path("proposal/<int:pk>/kirim/", entrant.entry_submit, name="entry-submit"),
    path("proposal/<int:pk>/tarik/", entrant.entry_withdraw, name="entry-withdraw"),
    path("proposal/<int:pk>/lampiran/", entrant.attachment_add, name="attachment-add"),
    path("proposal/<int:pk>/tanda-terima/", entrant.entry_receipt, name="entry-receipt"),
    path("lampiran/<int:pk>/", entrant.attachment_download, name="attachment-download"),
    path("lampiran/<int:pk>/hapus/", entrant.attachment_delete, name="attachment-delete"),
    path("unduh-sertifikat/<int:pk>/", entrant.certificate_download, name="certificate-download"),
    # Judges.
    path("juri/", judging.judge_home, name="judge-home"),
    path("juri/penugasan/<int:pk>/", judging.score_card, name="judge-card"),
    path("juri/penugasan/<int:pk>/buka-kembali/", judging.card_reopen, name="card-reopen"),
    path("juri/penugasan/<int:pk>/konflik/", judging.conflict_entry, name="judge-conflict-entry"),
    path("juri/lomba/<int:pk>/konflik/", judging.conflicts, name="judge-conflicts"),
    path("juri/panel/<int:pk>/", judging.panel_detail, name="panel-progress"),
    # Innovation admins.
    path("kelola/", manage.manage_list, name="manage-list"),
    path("kelola/baru/", manage.competition_create, name="manage-create"),
    path("kelola/<int:pk>/", manage.competition_detail, name="manage-detail"),
    path("kelola/<int:pk>/ubah/", manage.competition_edit, name="manage-edit"),
    path("kelola/<int:pk>/tindakan/", manage.competition_transition, name="manage-transition"),
    path("kelola/<int:pk>/babak/", manage.rounds, name="manage-rounds"),
    path("kelola/<int:pk>/bagian/", manage.sections, name="manage-sections"),
    path("kelola/<int:pk>/proposal/", manage.entries, name="manage-entries"),
    path("kelola/<int:pk>/hasil/", manage.manage_results, name="manage-results"),
    path("kelola/<int:pk>/sertifikat/", manage.certificates_start, name="certificates-start"),
    path("kelola/<int:pk>/berita-acara/", manage.minutes_start, name="minutes-start"),
    path("kelola/<int:pk>/jadikan-inovasi/", manage.winners_convert, name="winners-convert"),
    path("kelola/<int:pk>/eviden-iga/", manage.awards_to_index, name="awards-to-index"),
    path("kelola/babak/<int:pk>/ubah/", manage.round_edit, name="round-edit"),
    path("kelola/babak/<int:pk>/hapus/", manage.round_delete, name="round-delete"),
    path("kelola/babak/<int:pk>/juri/", manage.round_judging, name="round-judging"),
    path("kelola/babak/<int:pk>/panel/", manage.panel_edit, name="panel-add"),
    path("kelola/babak/<int:pk>/panel/<int:panel_pk>/", manage.panel_edit, name="panel-edit"),
    path("kelola/babak/<int:pk>/tugaskan-otomatis/", manage.assign_auto, name="assign-auto"),
    path("kelola/babak/<int:pk>/tugaskan/", manage.assign_manual, name="assign-manual"),
    path("kelola/babak/<int:pk>/peringkat/", manage.round_standing, name="round-standing"),
    path("kelola/bagian/<int:pk>/ubah/", manage.section_edit, name="section-edit"),
    path("kelola/bagian/<int:pk>/hapus/", manage.section_delete, name="section-delete"),
    path("kelola/proposal/<int:pk>/seleksi/", manage.entry_screen, name="entry-screen"),
    path("kelola/penugasan/<int:pk>/batalkan/", manage.assignment_recuse, name="assignment-recuse"),
    path("kelola/sertifikat/<int:pk>/cabut/", manage.certificate_revoke, name="certificate-revoke"),
    # The rubric library.
    path("rubrik/", rubrics.rubric_list, name="rubric-list"),
    path("rubrik/baru/", rubrics.rubric_create, name="rubric-create"),
    path("rubrik/templat/<slug:code>/", rubrics.rubric_preset, name="rubric-preset"),
    path("rubrik/<int:pk>/", rubrics.rubric_detail, name="rubric-detail"),
    path("rubrik/<int:pk>/ubah/", rubrics.rubric_edit, name="rubric-edit"),
    path("rubrik/<int:pk>/salin/", rubrics.rubric_copy, name="rubric-copy"),
    path("kriteria/<int:pk>/ubah/", rubrics.criterion_edit, name="criterion-edit"),
    path("kriteria/<int:pk>/hapus/", rubrics.criterion_delete, name="criterion-delete"),
]
