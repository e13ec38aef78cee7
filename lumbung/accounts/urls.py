from django.urls import path

from . import region_views, views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("daftar/", views.signup, name="signup"),
    path("verifikasi/<str:token>/", views.verify_email, name="verify-email"),
    path("verifikasi-ulang/", views.resend_verification, name="resend-verification"),
    path("kode-undangan/", views.invitation_code, name="invitation-code"),
    path("undangan/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("lupa-sandi/", views.PasswordResetView.as_view(), name="password-reset"),
    path("lupa-sandi/terkirim/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path("lupa-sandi/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    path("ganti-sandi/", views.PasswordChangeView.as_view(), name="password-change"),
    path("profil/", views.profile, name="profile"),
    path("ganti-pemda/", views.switch_region, name="switch-region"),
    path("pengguna/", views.user_list, name="user-list"),
    path("pengguna/undang/", views.user_invite, name="user-invite"),
    path("pengguna/undang-operator/", views.operators_invite, name="operators-invite"),
    path("pengguna/undangan-surat.pdf", views.invitation_letters, name="invitation-letters"),
    path("pengguna/<int:pk>/", views.user_detail, name="user-detail"),
    path("pengguna/<int:pk>/asn/", views.user_link_official, name="user-link-official"),
    path("pengguna/<int:pk>/riwayat/", views.user_history, name="user-history"),
    path("peran/<int:pk>/cabut/", views.role_revoke, name="role-revoke"),
    path("undangan/<int:pk>/batal/", views.invitation_revoke, name="invitation-revoke"),
    path("pemda/daftarkan/", region_views.region_onboard, name="region-onboard"),
    path("pemda/<int:pk>/nonaktifkan/", region_views.region_deactivate, name="region-deactivate"),
    path("pemda/<int:pk>/aktifkan/", region_views.region_reactivate, name="region-reactivate"),
    path("admin-provinsi/", region_views.province_admins_page, name="province-admins"),
    path("admin-provinsi/<int:pk>/cabut/", region_views.province_admin_revoke, name="province-admin-revoke"),
]
