from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lumbung.accounts"
    label = "accounts"
    verbose_name = "Akun"
