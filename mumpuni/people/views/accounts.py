"""Logging in (NIP or username + password, with lockout by django-axes) and out."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.urls import path
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's form with our labels: the backend (people.auth) accepts a NIP or a username."""

    error_messages = {
        "invalid_login": _(
            "NIP/nama pengguna atau kata sandi salah. Periksa kembali; huruf besar dan kecil pada kata sandi "
            "dibedakan."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi admin BKPP."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = _("NIP atau nama pengguna")
        username.error_messages["required"] = _("Isi NIP atau nama pengguna.")
        username.widget.attrs.update(
            {
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
                "class": "form-control",
            }
        )
        password = self.fields["password"]
        password.label = _("Kata sandi")
        password.error_messages["required"] = _("Isi kata sandi.")
        password.widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password", "class": "form-control"}
        )


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


urlpatterns = [
    path("masuk/", LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
]
