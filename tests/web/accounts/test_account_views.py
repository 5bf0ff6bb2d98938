"""Sign up, log in, log out, password reset (e-mail), API tokens."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from web_factories import PASSWORD, make_user

from journeymap.web.accounts.models import ApiToken
from journeymap.web.accounts.services import create_api_token, user_for_token
from journeymap.web.workspaces.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_signup_creates_the_user_with_a_first_workspace_and_logs_in() -> None:
    client = Client()
    response = client.post(
        "/accounts/signup/",
        {
            "username": "ola",
            "email": "Ola@Example.com",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="ola")
    assert user.email == "ola@example.com"
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.OWNER
    assert client.get("/").status_code == 200  # logged in: the workspace list


def test_signup_with_bad_input_names_each_field() -> None:
    make_user("taken")
    response = Client().post(
        "/accounts/signup/",
        {"username": "taken", "email": "not-an-email", "password1": "a", "password2": "b"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"username", "email", "password2"} <= set(errors)


def test_signup_refuses_an_email_already_used() -> None:
    make_user("first")
    response = Client().post(
        "/accounts/signup/",
        {
            "username": "second",
            "email": "FIRST@example.com",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
        },
    )
    assert response.status_code == 400
    assert "email" in response.context["form"].errors


def test_login_and_logout() -> None:
    make_user("ann")
    client = Client()
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": "ann", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302  # back to the login page


def test_pages_need_login() -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_password_reset_sends_a_link_that_sets_a_new_password() -> None:
    make_user("bob")
    client = Client()
    assert client.get("/accounts/password-reset/").status_code == 200
    response = client.post("/accounts/password-reset/", {"email": "bob@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    form_url = client.get(link.group(1), follow=True).redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "another-long-pass-9", "new_password2": "another-long-pass-9"}
    )
    assert response.status_code == 302
    assert Client().login(username="bob", password="another-long-pass-9")


def test_password_reset_for_an_unknown_email_sends_nothing_and_says_the_same() -> None:
    response = Client().post("/accounts/password-reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_token_page_creates_a_token_shown_once_and_revokes_it() -> None:
    user = make_user()
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/tokens/", {"name": "ci"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.startswith("jm_")
    token = ApiToken.objects.get(user=user)
    assert token.digest != key and key not in token.digest
    assert user_for_token(key) == user
    assert client.get("/accounts/tokens/").context["new_key"] is None
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert user_for_token(key) is None


def test_token_form_without_name_is_refused() -> None:
    client = Client()
    client.force_login(make_user())
    response = client.post("/accounts/tokens/", {"name": ""})
    assert response.status_code == 400
    assert "name" in response.context["form"].errors


def test_nobody_can_revoke_another_users_token() -> None:
    owner, other = make_user(), make_user()
    token, _key = create_api_token(user=owner, name="mine")
    client = Client()
    client.force_login(other)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()
