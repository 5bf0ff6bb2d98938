"""Accounts: sign up, log in/out, password reset, API tokens."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "journeymap.web.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
